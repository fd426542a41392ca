/* Hadir, printable reports: the "Print" button opens the browser's print dialog (A4; the
   page's print stylesheet hides the toolbar). Without script, the browser's own Print. */
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
})();
