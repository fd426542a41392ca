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

    var required = root.getAttribute("data-location") === "required";
    var dayEnd = root.getAttribute("data-day-end") || "";
    var done = [];
    try { done = JSON.parse(root.getAttribute("data-done") || "[]"); } catch (e) { done = []; }
    var sep = document.documentElement.lang === "en" ? ":" : ".";

    function hhmm(iso) {
      var t = new Date(Date.parse(iso) + 7 * 3600000);  /* WIB */
      return ("0" + t.getUTCHours()).slice(-2) + sep + ("0" + t.getUTCMinutes()).slice(-2);
    }
    /* What was recorded and why, when it may surprise: outside working hours, or a
       second check of the same kind today. */
    function notes(d) {
      var lines = [], at = hhmm(d.time);
      if (d.kind === "check_in" && dayEnd && at.replace(sep, ":") >= dayEnd) {
        lines.push(H.fmt(msgs["checkin.note_after_hours"], { end: dayEnd.replace(":", sep) }));
      }
      var same = done.filter(function (e) { return e.kind === d.kind; });
      if (same.length) {
        lines.push(H.fmt(msgs[d.kind === "check_out" ? "checkin.note_again_out" : "checkin.note_again_in"],
          { first: hhmm(same[0].time) }));
      } else if (d.kind === "check_in" && done.some(function (e) { return e.kind === "check_out"; })) {
        lines.push(msgs["checkin.note_in_after_out"]);
      }
      if (d.decision === "accepted") { done.push({ kind: d.kind, time: d.time }); }
      return lines;
    }
    function locate() {
      where.textContent = msgs["checkin.location_wait"];
      return H.locate().then(function (c) {
        coords = c;
        where.textContent = c
          ? H.fmt(msgs["checkin.location_ok"], { m: Math.round(c.accuracy || 0) })
          : msgs[required ? "checkin.location_none_required" : "checkin.location_none"];
        where.setAttribute("data-found", c ? "yes" : "no");
        return c;
      });
    }
    var locating = locate();

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
        if (required && !coords) {
          locating = locate();  /* ask once more: the office will refuse a check without it */
          await locating;
        }
        if (required && !coords) {
          say("");
          H.show(result, H.describe({ ok: false, status: 403,
            data: { error: { code: "location_required" } } }, msgs));
          result.focus();
          busy(false);
          return;
        }
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
        var outcome = H.describe(res, msgs);
        if (outcome.ok) { outcome.lines = outcome.lines.concat(notes(res.data)); }
        H.show(result, outcome);
        result.focus();
        busy(false);
      });
    });

    busy(true);
    camera();
  });
})();
