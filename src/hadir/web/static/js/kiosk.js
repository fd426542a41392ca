/* Hadir: the kiosk at the door. Identifies whoever faces the camera (1:N), shows the
   outcome large, then resets for the next person. Check-in before the switch time,
   check-out after it, unless someone taps the other large button (for one check). */
(function () {
  "use strict";
  var H = window.Hadir;
  var EVERY_MS = 1500, SHOW_OK_MS = 5000, SHOW_REFUSED_MS = 5000, MANUAL_MS = 60000;
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

  function two(n) { return (n < 10 ? "0" : "") + n; }

  /* The server's clock (it decides lateness), not the tablet's: the offset is kept. */
  function serverClock(root) {
    var skew = Date.parse(root.getAttribute("data-now")) - Date.now();
    var offset = parseInt(root.getAttribute("data-offset"), 10) || 420;
    return function () {
      var local = new Date(Date.now() + skew + offset * 60000);
      return { date: new Date(Date.now() + skew), h: local.getUTCHours(), m: local.getUTCMinutes() };
    };
  }

  function eventTime(iso, root, sep) {
    var offset = parseInt(root.getAttribute("data-offset"), 10) || 420;
    var local = new Date(Date.parse(iso) + offset * 60000);
    return two(local.getUTCHours()) + sep + two(local.getUTCMinutes());
  }

  function clockText(now, sep) { return two(now.h) + sep + two(now.m); }

  function setupClock(root, now) {
    var timeBox = document.getElementById("clock-time");
    var dateBox = document.getElementById("clock-date");
    var lang = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
    var sep = document.documentElement.lang === "en" ? ":" : ".";
    var dates = new Intl.DateTimeFormat(lang, {
      timeZone: "Asia/Jakarta", weekday: "long", day: "numeric", month: "long", year: "numeric"
    });
    function paint() {
      var n = now();
      timeBox.textContent = clockText(n, sep);
      dateBox.textContent = dates.format(n.date);
    }
    paint();
    setInterval(paint, 1000);
    return sep;
  }

  function setupModes(root, msgs, now) {
    var buttons = Array.prototype.slice.call(root.querySelectorAll("button.mode"));
    var note = document.getElementById("mode-note");
    var parts = root.getAttribute("data-switch").split(":");
    var switchAt = parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10);
    var manual = null, manualUntil = 0;
    function automatic() {
      var n = now();
      return n.h * 60 + n.m >= switchAt ? "check_out" : "check_in";
    }
    function current() {
      if (manual && Date.now() < manualUntil) { return manual; }
      manual = null;
      return automatic();
    }
    function paint() {
      var kind = current();
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-mode") === kind ? "true" : "false");
      });
      var sepTime = root.getAttribute("data-switch").replace(":", document.documentElement.lang === "en" ? ":" : ".");
      note.textContent = manual ? msgs["kiosk.mode_manual"] : H.fmt(msgs["kiosk.mode_auto"], { time: sepTime });
    }
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        var chosen = b.getAttribute("data-mode");
        manual = chosen === automatic() ? null : chosen;
        manualUntil = Date.now() + MANUAL_MS;
        paint();
      });
    });
    paint();
    setInterval(paint, 5000);
    return {
      kind: current,
      used: function () { manual = null; paint(); }
    };
  }

  function setupFullscreen() {
    var button = document.getElementById("fullscreen");
    var doc = document.documentElement;
    if (!button || !doc.requestFullscreen || document.fullscreenEnabled === false) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { doc.requestFullscreen(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("kiosk");
    if (!root) { return; }
    var msgs = H.messages(root);
    var video = root.querySelector("video");
    var result = document.getElementById("result");
    var status = document.getElementById("status");
    var now = serverClock(root);
    var sep = setupClock(root, now);
    var modes = setupModes(root, msgs, now);
    setupFullscreen();
    var coords = null, busy = false, previous = null, lastSent = null;

    H.locate().then(function (c) { coords = c; });

    function ready() {
      result.hidden = true;
      status.hidden = false;
      status.textContent = msgs["kiosk.ready"];
    }

    async function tick() {
      if (busy || !video.videoWidth) { return; }
      var frame = thumbnail(video);
      var settled = difference(frame, previous) <= SETTLED;
      previous = frame;
      if (!settled || difference(frame, lastSent) <= CHANGED) { return; }
      lastSent = frame;
      busy = true;
      var res;
      try {
        res = await H.check(modes.kind(), video, {
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
        outcome.lines = [H.fmt(msgs["kiosk.recorded_at"], { time: eventTime(res.data.time, root, sep) })].concat(outcome.lines.slice(2));
        modes.used();
      }
      outcome.lines.push(msgs["kiosk.next"]);
      status.hidden = true;
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
