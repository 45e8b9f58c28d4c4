// A form that asks before an irreversible step names its question in data-confirm: no inline script, so the
// Content-Security-Policy allows only the console's own files.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
