// The vision editor: a page re-rendered with typed but unsaved text (preview, more rows, a conflict)
// starts out "dirty", so leaving it still asks first. The base script covers typing on the page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-unsaved-initial]");
  if (!form) { return; }
  var pending = true;
  form.addEventListener("submit", function () { pending = false; });
  window.addEventListener("beforeunload", function (event) {
    if (pending) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  var conflict = document.getElementById("conflict");
  if (conflict) { conflict.focus(); }
})();
