// The discussion: suggest people while typing "@" in a comment. Progressive enhancement: without
// JavaScript, "@Voornaam Achternaam" typed in full is matched on save, or people are chosen in the
// list below the text. The names come from that list (the people of the school).
(function () {
  "use strict";

  document.querySelectorAll("form.comment-form").forEach(function (form) {
    var text = form.querySelector("textarea[name=body]");
    var select = form.querySelector("select[name=mentions]");
    if (!text || !select) { return; }
    var names = Array.prototype.map.call(select.options, function (o) { return o.textContent.trim(); });
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var active = -1, matches = [], start = -1;
    list.id = text.id + "-suggestions";
    list.className = "list-group mention-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.dataset.suggestionsLabel || "");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");  // not role=status: the page's flash messages hold that role
    text.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    text.setAttribute("role", "combobox");
    text.setAttribute("aria-autocomplete", "list");
    text.setAttribute("aria-controls", list.id);
    text.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true; list.innerHTML = ""; active = -1; matches = [];
      text.setAttribute("aria-expanded", "false");
      text.removeAttribute("aria-activedescendant");
    }

    function show() {
      list.innerHTML = "";
      matches.forEach(function (name, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.className = "list-group-item list-group-item-action" + (i === active ? " active" : "");
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        li.textContent = name;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = matches.length === 0;
      text.setAttribute("aria-expanded", matches.length ? "true" : "false");
      if (active >= 0) { text.setAttribute("aria-activedescendant", list.id + "-" + active); }
      else { text.removeAttribute("aria-activedescendant"); }
      status.textContent = matches.length ? (form.dataset.suggestionsFound || "").replace("{n}", matches.length) : "";
    }

    function choose(i) {
      var name = matches[i];
      var caret = text.selectionStart;
      text.value = text.value.slice(0, start) + "@" + name + " " + text.value.slice(caret);
      var at = start + name.length + 2;
      text.setSelectionRange(at, at);
      close();
      text.focus();
    }

    text.addEventListener("input", function () {
      var before = text.value.slice(0, text.selectionStart);
      var m = /(^|\s)@([^\s@]{0,40}(?: [^\s@]{0,40})?)$/.exec(before);
      if (!m) { close(); return; }
      start = before.length - m[2].length - 1;
      var typed = m[2].toLowerCase();
      matches = names.filter(function (n) { return n.toLowerCase().indexOf(typed) === 0; }).slice(0, 8);
      active = matches.length ? 0 : -1;
      show();
    });

    text.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : -1) + matches.length) % matches.length;
        show();
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    text.addEventListener("blur", close);
  });
}());
