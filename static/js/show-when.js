// Warm Veranderen: show a part of a form only when it applies, e.g. the kind of objection only when
// "Bezwaar" is chosen: <div data-show-when="stance=objection"> (several values: "state=a|b").
// Without JavaScript the part is always shown, and the service ignores it when it does not apply.
(function () {
  "use strict";

  document.querySelectorAll("[data-show-when]").forEach(function (part) {
    var form = part.closest("form");
    var rule = part.getAttribute("data-show-when").split("=");
    if (!form || rule.length !== 2) { return; }
    var name = rule[0];
    var values = rule[1].split("|");

    function chosen() {
      var radio = form.querySelector('input[name="' + name + '"]:checked');
      if (radio) { return radio.value; }
      var select = form.querySelector('select[name="' + name + '"]');
      return select ? select.value : "";
    }

    function update() {
      part.hidden = values.indexOf(chosen()) < 0;
    }

    form.addEventListener("change", update);
    update();
  });
})();
