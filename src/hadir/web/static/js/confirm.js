/* Hadir: forms marked data-confirm ask before they post (delete, deactivate, revoke).
   Without script the server asks on a page of its own. */
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
})();
