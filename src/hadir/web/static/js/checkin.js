/* Hadir: the employee's check-in page. */
(function () {
  "use strict";
  var H = window.Hadir;

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("checkin");
    if (!root) { return; }
    var msgs = H.messages(root);
    var video = root.querySelector("video");
    var status = document.getElementById("status");
    var where = document.getElementById("location");
    var result = document.getElementById("result");
    var startButton = document.getElementById("start-camera");
    var buttons = Array.prototype.slice.call(root.querySelectorAll("button[data-kind]"));
    var coords = null;

    function say(text) { status.textContent = text || ""; }
    function busy(on) {
      root.setAttribute("aria-busy", on ? "true" : "false");
      buttons.forEach(function (b) { b.disabled = on; });
    }

    where.textContent = msgs["checkin.location_wait"];
    var locating = H.locate().then(function (c) {
      coords = c;
      where.textContent = c
        ? H.fmt(msgs["checkin.location_ok"], { m: Math.round(c.accuracy || 0) })
        : msgs["checkin.location_none"];
      return c;
    });

    async function camera() {
      try {
        await H.startCamera(video);
        startButton.hidden = true;
        busy(false);
        say("");
      } catch (e) {
        busy(true);
        startButton.hidden = false;
        H.show(result, { ok: false, title: msgs["checkin.camera_denied"], lines: [] });
      }
    }
    startButton.addEventListener("click", camera);

    buttons.forEach(function (button) {
      button.addEventListener("click", async function () {
        busy(true);
        result.hidden = true;
        say(msgs["checkin.sending"]);
        await locating;
        var res;
        try {
          res = await H.check(button.getAttribute("data-kind"), video, {
            coords: coords,
            device: "web",
            onProgress: function (key) { say(msgs[key]); },
            onPrompt: function (text) { say(text + " — " + msgs["challenge.capturing"]); }
          });
        } catch (e) {
          res = { ok: false, status: 422, data: { error: { code: "image_unreadable" } } };
        }
        say("");
        H.show(result, H.describe(res, msgs));
        result.focus();
        busy(false);
      });
    });

    busy(true);
    camera();
  });
})();
