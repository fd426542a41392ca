/* Hadir console: add webcam shots to the enrolment form's file input. */
(function () {
  "use strict";
  var H = window.Hadir;

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("enrol");
    if (!root) { return; }
    var input = root.querySelector("input[type=file]");
    var open = document.getElementById("webcam-open");
    var take = document.getElementById("webcam-take");
    var video = root.querySelector("video");
    var count = document.getElementById("webcam-count");
    var shots = 0;

    open.addEventListener("click", function () {
      H.startCamera(video).then(function () {
        video.hidden = false;
        take.hidden = false;
        open.hidden = true;
      }).catch(function () { open.disabled = true; });
    });
    take.addEventListener("click", async function () {
      var blob = await H.capture(video, 960);
      var files = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { files.items.add(f); });
      shots += 1;
      files.items.add(new File([blob], "kamera-" + shots + ".jpg", { type: "image/jpeg" }));
      input.files = files.files;
      count.textContent = String(input.files.length);
    });
  });
})();
