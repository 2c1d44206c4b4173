/* Multi-selects as chips that work by tap (progressive enhancement of <select multiple>).
   The select stays in the form (hidden) and keeps being what is sent; chips show the chosen
   options, each with × to remove it, and the options not chosen are buttons a tap adds. A
   search box filters them (or, beside an htmx person search, that search refills them). */
(function () {
  "use strict";

  function text(el, s) { el.textContent = s; return el; }

  function enhance(select) {
    if (select.dataset.ggChips) return;
    select.dataset.ggChips = "1";
    var box = document.createElement("div");
    box.className = "gg-chips";
    var chosen = document.createElement("div");
    chosen.className = "gg-chips-chosen";
    chosen.setAttribute("aria-live", "polite");
    var filter = null;
    var searched = select.parentNode.querySelector("input[type=search][hx-get]");
    if (!searched && select.options.length > 8) {
      filter = document.createElement("input");
      filter.type = "search";
      filter.className = "form-control mb-1";
      filter.placeholder = select.getAttribute("data-gg-filter") || "🔍";
      filter.setAttribute("aria-label", select.getAttribute("data-gg-filter") || "search");
      filter.addEventListener("input", render);
    }
    var offered = document.createElement("div");
    offered.className = "gg-chips-offered";
    if (filter) box.appendChild(filter);
    box.appendChild(chosen);
    box.appendChild(offered);
    select.classList.add("gg-chips-select");
    select.setAttribute("tabindex", "-1");
    select.setAttribute("aria-hidden", "true");
    select.parentNode.insertBefore(box, select.nextSibling);

    function render() {
      chosen.innerHTML = "";
      offered.innerHTML = "";
      var q = filter ? filter.value.trim().toLowerCase() : "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var button = document.createElement("button");
        button.type = "button";
        if (option.selected) {
          button.className = "btn btn-sm btn-primary gg-chip";
          text(button, option.text + " ×");
          button.setAttribute("aria-label", option.text + "（点按移除）");
          button.addEventListener("click", function () { option.selected = false; changed(); });
          chosen.appendChild(button);
        } else if (!q || option.text.toLowerCase().indexOf(q) >= 0) {
          button.className = "btn btn-sm btn-outline-secondary gg-chip";
          text(button, "+ " + option.text);
          button.addEventListener("click", function () { option.selected = true; changed(); });
          offered.appendChild(button);
        }
      });
    }
    function changed() {
      select.dispatchEvent(new Event("change", { bubbles: true }));
      render();
    }
    select.addEventListener("change", render);
    new MutationObserver(render).observe(select, { childList: true, subtree: true });
    render();
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[multiple]:not([data-gg-plain])").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSettle", function (e) { enhanceAll(e.target); });
  window.ggChips = enhanceAll;
})();

/* A formset's “添加一行”: a button [data-gg-add-row="<prefix>"] copies the formset's empty form
   (a <template id="gg-empty-<prefix>">) as a new row and counts it in TOTAL_FORMS. */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-gg-add-row]");
    if (!button) return;
    var prefix = button.getAttribute("data-gg-add-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById("gg-empty-" + prefix);
    if (!total || !template) return;
    var n = parseInt(total.value, 10);
    if (max && n >= parseInt(max.value, 10)) return;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(n));
    var row = holder.firstElementChild;
    button.parentNode.insertBefore(row, button);
    total.value = String(n + 1);
    if (window.htmx) window.htmx.process(row);
    if (window.ggChips) window.ggChips(row);
    var first = row.querySelector("input[type=search], select, input");
    if (first) first.focus();
  });
})();
