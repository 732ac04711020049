// Sprints: reorder the backlog by drag and drop or with Alt + arrow keys. Progressive enhancement:
// without JavaScript the "Hoger"/"Lager" buttons post a form and the server reorders.
(function () {
  "use strict";

  var list = document.getElementById("backlog");
  if (!list || !list.dataset.reorderUrl) { return; }
  var status = document.getElementById("backlog-status");
  var dragged = null;

  function items() { return Array.prototype.slice.call(list.querySelectorAll(".backlog-item")); }

  function announce(text) { if (status) { status.textContent = text; } }

  function save(focusItem) {
    var body = new URLSearchParams();
    body.append("csrf_token", list.dataset.csrf);
    items().forEach(function (li) { body.append("ids", li.dataset.id); });
    return fetch(list.dataset.reorderUrl, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": list.dataset.csrf },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok || !data.ok) {
          announce(data.message || "De volgorde kon niet opgeslagen worden.");
          window.location.reload();
          return;
        }
        var position = items().indexOf(focusItem) + 1;
        announce("Volgorde opgeslagen. " + (focusItem ? focusItem.getAttribute("aria-label") + " staat nu op plaats " + position + "." : ""));
      });
    }).catch(function () {
      announce("De volgorde kon niet opgeslagen worden. Laad de pagina opnieuw.");
    });
  }

  function move(li, direction) {
    if (direction === "up" && li.previousElementSibling) {
      list.insertBefore(li, li.previousElementSibling);
    } else if (direction === "down" && li.nextElementSibling) {
      list.insertBefore(li.nextElementSibling, li);
    } else {
      return;
    }
    save(li);
  }

  items().forEach(function (li) {
    li.setAttribute("draggable", "true");
    li.classList.add("is-draggable");
    li.addEventListener("dragstart", function (event) {
      dragged = li;
      li.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", li.dataset.id);
    });
    li.addEventListener("dragend", function () {
      li.classList.remove("is-dragging");
      dragged = null;
    });
    li.addEventListener("dragover", function (event) {
      if (!dragged || dragged === li) { return; }
      event.preventDefault();
      var box = li.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? li.nextElementSibling : li);
    });
    li.addEventListener("drop", function (event) {
      event.preventDefault();
      if (dragged) { save(dragged); }
    });
    li.addEventListener("keydown", function (event) {
      if (event.target !== li || !event.altKey) { return; }
      if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        event.preventDefault();
        move(li, event.key === "ArrowUp" ? "up" : "down");
        li.focus();
      }
    });
    // The no-JS buttons move in place too, without reloading the page.
    li.querySelectorAll("button[data-direction]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        move(li, button.dataset.direction);
        button.focus();
      });
    });
  });
}());
