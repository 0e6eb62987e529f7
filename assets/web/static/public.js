// The public pages work without this file; with it, a photo over the limit is refused before
// it is sent (a 10 MB upload on a phone's data plan is not something to wait for in vain).
"use strict";
// Pages can tell (and tests check) that scripts run.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var error = document.getElementById(input.id + "-error");
    input.addEventListener("change", function () {
      var max = parseInt(input.getAttribute("data-max-bytes"), 10);
      var file = input.files && input.files[0];
      if (file && file.size > max) {
        input.value = "";
        if (error) error.textContent = input.getAttribute("data-too-large");
        input.setAttribute("aria-invalid", "true");
      } else if (error) {
        error.textContent = "";
        input.removeAttribute("aria-invalid");
      }
    });
  });
});
