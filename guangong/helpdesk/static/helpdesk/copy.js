// A button with data-copy puts its text on the clipboard with one tap, and says so.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var text = button.getAttribute("data-copy");
  var label = button.textContent;
  function done() {
    button.textContent = button.getAttribute("data-copied") || label;
    setTimeout(function () { button.textContent = label; }, 2000);
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, function () {});
    return;
  }
  var field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.className = "gg-help-hp";
  document.body.appendChild(field);
  field.select();
  try { document.execCommand("copy"); done(); } catch (e) { /* the code stays selectable */ }
  document.body.removeChild(field);
});
