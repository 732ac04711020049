// The sprint board by hand: drag cards between columns and within one (SortableJS from npm), or with the
// keyboard (focus a card, space to pick it up, arrow keys to move it, space to drop, Escape to cancel).
// Progressive enhancement: without JavaScript (or without SortableJS) each card's "Verplaats" form works.
// A drop posts to the same endpoint as that form; the server's rules decide, and a refused move snaps back.
(function () {
  "use strict";

  var board = document.getElementById("board");
  if (!board || !board.dataset.reorderUrl) { return; }
  var live = document.getElementById("board-live");
  var alertBox = document.getElementById("board-alert");
  var help = document.getElementById("board-help");
  var grabbed = null;  // {card, from, index} while a card is picked up with the keyboard

  function text(name, values) {
    return (board.dataset[name] || "").replace(/\{(\w+)\}/g, function (_m, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }
  function announce(message) {
    if (!live) { return; }
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 50);
  }
  function showAlert(message) {
    if (!alertBox) { return; }
    alertBox.textContent = message;
    alertBox.hidden = !message;
  }
  function cardsOf(list) { return Array.prototype.slice.call(list.querySelectorAll(":scope > .board-card")); }
  function listsOf(lane) {
    return Array.prototype.slice.call(board.querySelectorAll('.board-list[data-lane="' + lane + '"]'));
  }
  function where(card) {
    var list = card.parentElement;
    return { title: card.dataset.title, column: list.dataset.column,
             position: cardsOf(list).indexOf(card) + 1, count: cardsOf(list).length };
  }
  function refreshCounts() {
    board.querySelectorAll(".board-list").forEach(function (list) {
      var column = list.closest(".board-column");
      var count = cardsOf(list).length;
      column.querySelector(".board-count").textContent = count;
      column.querySelector(".board-empty").hidden = count > 0;
    });
  }
  function putBack(card, from, index) {
    var siblings = cardsOf(from).filter(function (c) { return c !== card; });
    from.insertBefore(card, siblings[index] || null);
    refreshCounts();
  }

  function post(url, body) {
    body.append("csrf_token", board.dataset.csrf);
    return fetch(url, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": board.dataset.csrf },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { data.ok = response.ok && data.ok; return data; });
    });
  }
  function saveOrder(list) {
    var body = new URLSearchParams();
    cardsOf(list).forEach(function (card) { body.append("ids", card.dataset.id); });
    return post(board.dataset.reorderUrl, body);
  }
  function updateCard(card, data) {
    var form = card.querySelector(".board-move");
    var select = form && form.querySelector("select");
    if (select) {
      select.innerHTML = "";
      (data.allowed || []).forEach(function (pair) {
        var option = document.createElement("option");
        option.value = pair[0];
        option.textContent = pair[1];
        select.appendChild(option);
      });
      form.hidden = !(data.allowed || []).length;
    }
    var moved = card.querySelector(".board-moved");
    if (moved && data.moved) { moved.textContent = data.moved; moved.hidden = false; }
  }

  // After a drop: the same column is a new order; another column is a move, then the order there.
  function commit(card, from, index) {
    var to = card.parentElement;
    showAlert("");
    if (to === from) {
      if (cardsOf(to).indexOf(card) === index) {
        announce(text("msgPosition", where(card)));
        return Promise.resolve();
      }
      return saveOrder(to).then(function (data) {
        if (!data.ok) { throw new Error(data.message || text("msgFailed", {})); }
        announce(data.message + " " + text("msgPosition", where(card)));
      }).catch(function (error) { refuse(card, from, index, error.message); });
    }
    var body = new URLSearchParams();
    body.append("status", to.dataset.status);
    return post(card.dataset.moveUrl, body).then(function (data) {
      if (!data.ok) { throw new Error(data.message || text("msgFailed", {})); }
      updateCard(card, data);
      announce(data.message + " " + text("msgPosition", where(card)));
      return saveOrder(to);
    }).catch(function (error) { refuse(card, from, index, error.message); });
  }
  function refuse(card, from, index, message) {
    putBack(card, from, index);
    var said = text("msgRefused", { message: message || text("msgFailed", {}), column: from.dataset.column });
    showAlert(said);  // role="alert": screen readers hear it once, so not in the live region as well
    card.focus();
  }

  // --- the keyboard --------------------------------------------------------------------------------
  function pickUp(card) {
    grabbed = { card: card, from: card.parentElement, index: cardsOf(card.parentElement).indexOf(card) };
    card.classList.add("is-grabbed");
    announce(text("msgGrabbed", where(card)) + " " + text("msgPosition", where(card)));
  }
  function drop(cancel) {
    var state = grabbed;
    grabbed = null;
    state.card.classList.remove("is-grabbed");
    if (cancel) {
      putBack(state.card, state.from, state.index);
      state.card.focus();
      announce(text("msgCancelled", where(state.card)));
      return;
    }
    refreshCounts();
    state.card.focus();
    commit(state.card, state.from, state.index);
  }
  function step(card, key) {
    var list = card.parentElement;
    var cards = cardsOf(list);
    var k = cards.indexOf(card);
    if (key === "ArrowUp" && k > 0) {
      list.insertBefore(card, cards[k - 1]);
    } else if (key === "ArrowDown" && k < cards.length - 1) {
      list.insertBefore(cards[k + 1], card);
    } else if (key === "ArrowLeft" || key === "ArrowRight") {
      var lists = listsOf(list.dataset.lane);
      var next = lists[lists.indexOf(list) + (key === "ArrowLeft" ? -1 : 1)];
      if (!next) { return; }
      var target = cardsOf(next);
      next.insertBefore(card, target[Math.min(k, target.length)] || null);
    } else {
      return;
    }
    refreshCounts();
    card.focus();
    announce(text("msgPosition", where(card)));
  }
  function onKey(event) {
    var card = event.currentTarget;
    if (event.target !== card) { return; }
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      if (grabbed && grabbed.card === card) { drop(false); } else if (!grabbed) { pickUp(card); }
    } else if (event.key === "Escape" && grabbed && grabbed.card === card) {
      event.preventDefault();
      drop(true);
    } else if (grabbed && grabbed.card === card && event.key.indexOf("Arrow") === 0) {
      event.preventDefault();
      step(card, event.key);
    }
  }

  board.querySelectorAll(".board-card[data-move-url]").forEach(function (card) {
    card.tabIndex = 0;
    card.setAttribute("aria-describedby", "board-help");
    card.addEventListener("keydown", onKey);
    card.addEventListener("blur", function () {
      // Leaving a picked-up card (Tab, a click elsewhere) puts it down where it is.
      if (grabbed && grabbed.card === card && !card.contains(document.activeElement)) {
        window.setTimeout(function () { if (grabbed && grabbed.card === card && document.activeElement !== card) { drop(false); } }, 0);
      }
    });
  });
  if (help) { help.hidden = false; }

  // --- the mouse, touch and pen (SortableJS, when it was installed) ---------------------------------
  if (typeof window.Sortable === "undefined") { return; }
  board.querySelectorAll(".board-list").forEach(function (list) {
    var origin = null;
    window.Sortable.create(list, {
      group: "lane-" + list.dataset.lane,
      draggable: ".board-card",
      filter: "a, button, select, option, input, label",
      preventOnFilter: false,
      animation: 150,
      forceFallback: true,
      fallbackOnBody: true,
      delayOnTouchOnly: true,
      delay: 150,
      ghostClass: "is-dragging",
      // The alert of an earlier refusal stays until the drop: hiding it now would move the columns under the pointer.
      onStart: function (event) { origin = { from: event.from, index: event.oldIndex }; },
      onEnd: function (event) {
        if (!origin) { return; }
        refreshCounts();
        commit(event.item, origin.from, origin.index);
        origin = null;
      }
    });
  });
}());
