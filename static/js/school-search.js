/* Suggestions for the invite form's school (people page): while the coordinator types, the <datalist>
   fills with matching school names from the server. Without JavaScript the field takes the full name
   and the "Zoek school" form above it lists the matches. */
(function () {
  "use strict";
  var list = document.getElementById("school-suggestions");
  var input = document.querySelector('input[list="school-suggestions"]');
  if (!list || !input || !window.fetch) { return; }
  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    var typed = input.value.trim();
    if (typed.length < 2 || typed === last) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      last = typed;
      fetch(list.dataset.url + "?q=" + encodeURIComponent(typed), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (schools) {
          list.textContent = "";
          schools.forEach(function (school) {
            var option = document.createElement("option");
            option.value = school.name;
            option.label = school.city;
            list.appendChild(option);
          });
        })
        .catch(function () { /* suggestions are a help; typing the full name still works */ });
    }, 200);
  });
})();
