/* Hadir: the kiosk at the door. Identifies whoever faces the camera (1:N), shows the
   outcome large, then resets for the next person. */
(function () {
  "use strict";
  var H = window.Hadir;
  var EVERY_MS = 1500, SHOW_OK_MS = 5000, SHOW_REFUSED_MS = 5000;
  var QUIET = { no_face: true };
  var CHANGED = 14, SETTLED = 6;  /* mean absolute grey difference, 0..255 */

  function thumbnail(video) {
    var canvas = document.createElement("canvas");
    canvas.width = 32;
    canvas.height = 24;
    var g = canvas.getContext("2d", { willReadFrequently: true });
    g.drawImage(video, 0, 0, 32, 24);
    var rgba = g.getImageData(0, 0, 32, 24).data, grey = new Uint8Array(32 * 24);
    for (var i = 0; i < grey.length; i++) {
      grey[i] = (rgba[i * 4] * 3 + rgba[i * 4 + 1] * 4 + rgba[i * 4 + 2]) >> 3;
    }
    return grey;
  }

  function difference(a, b) {
    if (!a || !b) { return 255; }
    var sum = 0;
    for (var i = 0; i < a.length; i++) { sum += Math.abs(a[i] - b[i]); }
    return sum / a.length;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("kiosk");
    if (!root) { return; }
    var msgs = H.messages(root);
    var video = root.querySelector("video");
    var result = document.getElementById("result");
    var status = document.getElementById("status");
    var modes = Array.prototype.slice.call(root.querySelectorAll("input[name=mode]"));
    var coords = null, busy = false, previous = null, lastSent = null;

    H.locate().then(function (c) { coords = c; });

    function kind() {
      var chosen = modes.filter(function (m) { return m.checked; })[0];
      return chosen ? chosen.value : "check_in";
    }
    function ready() {
      result.hidden = true;
      status.textContent = msgs["kiosk.ready"];
    }

    async function tick() {
      if (busy || !video.videoWidth) { return; }
      var now = thumbnail(video);
      var settled = difference(now, previous) <= SETTLED;
      previous = now;
      if (!settled || difference(now, lastSent) <= CHANGED) { return; }
      lastSent = now;
      busy = true;
      var res;
      try {
        res = await H.check(kind(), video, {
          coords: coords,
          device: "kiosk",
          onPrompt: function (text) { status.textContent = text; }
        });
      } catch (e) {
        lastSent = null;
        busy = false;
        return;
      }
      var outcome = H.describe(res, msgs);
      if (outcome.code === "network") { lastSent = null; }
      if (!outcome.ok && QUIET[outcome.code]) { busy = false; return; }
      if (outcome.ok) {
        var name = res.data.employee.name;
        outcome.title = H.fmt(msgs[res.data.kind === "check_out" ? "kiosk.goodbye" : "kiosk.welcome"], { name: name });
        outcome.lines = outcome.lines.slice(1);
      }
      outcome.lines.push(msgs["kiosk.next"]);
      status.textContent = "";
      H.show(result, outcome);
      await H.sleep(outcome.ok ? SHOW_OK_MS : SHOW_REFUSED_MS);
      ready();
      busy = false;
    }

    H.startCamera(video).then(function () {
      ready();
      setInterval(tick, EVERY_MS);
    }).catch(function () {
      H.show(result, { ok: false, title: msgs["checkin.camera_denied"], lines: [] });
    });
  });
})();
