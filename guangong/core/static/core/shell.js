/* The shell's small behaviours, all optional (the pages work without them):
   - 大字: the large-text switch, kept in a cookie the server also reads;
   - the side menu remembers which groups the user folded;
   - a print button prints the page (its print stylesheet: A4). */
(function () {
  "use strict";
  var FOLDED = "gg-menu-folded";

  function folded() {
    try { return JSON.parse(localStorage.getItem(FOLDED) || "[]"); } catch (e) { return []; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var large = document.querySelector("[data-gg-large]");
    if (large) {
      large.addEventListener("click", function () {
        var on = !document.documentElement.classList.contains("gg-large");
        document.documentElement.classList.toggle("gg-large", on);
        large.setAttribute("aria-pressed", on ? "true" : "false");
        document.cookie = "gg_large=" + (on ? "1" : "0") + "; path=/; max-age=31536000; SameSite=Lax";
      });
    }
    document.querySelectorAll("[data-gg-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    var shut = folded();
    document.querySelectorAll(".gg-menu-group").forEach(function (group) {
      var key = group.getAttribute("data-group");
      if (shut.indexOf(key) >= 0 && !group.querySelector(".active")) group.open = false;
      group.addEventListener("toggle", function () {
        var now = folded().filter(function (k) { return k !== key; });
        if (!group.open) now.push(key);
        try { localStorage.setItem(FOLDED, JSON.stringify(now)); } catch (e) { /* private mode */ }
      });
    });
  });
})();
