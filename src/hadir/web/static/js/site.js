/* Hadir, every page: forms marked data-confirm ask before they post (delete, deactivate,
   revoke; without script the server asks on a page of its own), and the service worker
   that keeps the static assets is registered. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (!question) { return; }
    if (!window.confirm(question)) { event.preventDefault(); return; }
    var mark = form.querySelector("input[name=confirmed]");
    if (!mark) {
      mark = document.createElement("input");
      mark.type = "hidden";
      mark.name = "confirmed";
      form.appendChild(mark);
    }
    mark.value = "1";
  });
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* optional */ });
    });
  }
})();
