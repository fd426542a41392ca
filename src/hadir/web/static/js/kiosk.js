/* Hadir: the kiosk at the door. Identifies whoever faces the camera (1:N), shows the
   outcome large, then resets for the next person. */
(function () {
  "use strict";
  var H = window.Hadir;
  var EVERY_MS = 1500, SHOW_OK_MS = 5000, SHOW_REFUSED_MS = 5000;
  var QUIET = { no_face: true };

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("kiosk");
    if (!root) { return; }
    var msgs = H.messages(root);
    var video = root.querySelector("video");
    var result = document.getElementById("result");
    var status = document.getElementById("status");
    var modes = Array.prototype.slice.call(root.querySelectorAll("input[name=mode]"));
    var coords = null, busy = false;

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
      busy = true;
      var res;
      try {
        res = await H.check(kind(), video, {
          coords: coords,
          device: "kiosk",
          onPrompt: function (text) { status.textContent = text; }
        });
      } catch (e) {
        busy = false;
        return;
      }
      var outcome = H.describe(res, msgs);
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
