// The lesson studio's only script, served by the hub itself (CSP script-src 'self').
// Clicking an element in a step's mock-screen picture makes it the step's tap target and saves
// the draft, so the picture comes back with the new target marked. Without this script the
// target is typed in its field; everything else works the same.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("editor");
  if (!form) { return; }
  var areas = document.querySelectorAll("area[data-target]");
  Array.prototype.forEach.call(areas, function (area) {
    area.addEventListener("click", function (event) {
      event.preventDefault();
      var input = form.querySelector("input[name='" + area.dataset.input + "']");
      if (!input || input.disabled) { return; }
      input.value = area.dataset.target;
      var save = form.querySelector("button[name='op'][value='']");
      if (form.requestSubmit && save) { form.requestSubmit(save); } else { form.submit(); }
    });
  });
});
