/* Hadir: camera, location and check-in calls shared by the check-in and kiosk pages.
   Plain JavaScript, no build step. Text comes from the page's data-i18n catalogue. */
(function () {
  "use strict";
  var H = (window.Hadir = window.Hadir || {});
  var MAX_SIDE = 960;

  H.messages = function (root) {
    try { return JSON.parse(root.getAttribute("data-i18n") || "{}"); } catch (e) { return {}; }
  };
  H.fmt = function (text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? values[k] : m;
    });
  };
  H.csrf = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };
  H.sleep = function (ms) { return new Promise(function (r) { setTimeout(r, ms); }); };
  H.requestId = function () {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  };

  H.startCamera = async function (video) {
    var stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false
    });
    video.srcObject = stream;
    await video.play();
    return stream;
  };

  /* One frame as a JPEG Blob, the longest side at most MAX_SIDE pixels. */
  H.capture = function (video, maxSide) {
    var side = maxSide || MAX_SIDE;
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) { return Promise.reject(new Error("camera not ready")); }
    var scale = Math.min(1, side / Math.max(w, h));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) {
        if (blob) { resolve(blob); } else { reject(new Error("capture failed")); }
      }, "image/jpeg", 0.9);
    });
  };

  H.locate = function () {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) { resolve(null); return; }
      navigator.geolocation.getCurrentPosition(
        function (p) { resolve(p.coords); },
        function () { resolve(null); },
        { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 }
      );
    });
  };

  H.post = async function (url, body, asJson) {
    var headers = { "X-CSRF-Token": H.csrf(), "Accept": "application/json" };
    if (asJson) { headers["Content-Type"] = "application/json"; body = JSON.stringify(body); }
    var res;
    try {
      res = await fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" });
    } catch (e) {
      return { ok: false, status: 0, data: null };
    }
    var data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    return { ok: res.ok, status: res.status, data: data };
  };

  function fieldsFor(opts) {
    var requestId = H.requestId();
    return function (form) {
      if (opts.employeeId) { form.append("employee_id", opts.employeeId); }
      var c = opts.coords;
      if (c) {
        form.append("latitude", String(c.latitude));
        form.append("longitude", String(c.longitude));
        if (c.accuracy != null) { form.append("accuracy_m", String(Math.min(c.accuracy, 1e7))); }
      }
      form.append("client_request_id", requestId);
      form.append("device", opts.device || "web");
    };
  }

  /* The liveness challenge: show its prompt, send min..max frames at its interval. */
  H.challenge = async function (kind, path, video, opts, addFields) {
    var started = await H.post("/api/v1/attendance/challenge",
      { kind: kind, employee_id: opts.employeeId || null }, true);
    if (!started.ok) { return started; }
    var c = started.data;
    var lang = document.documentElement.lang;
    if (opts.onPrompt) { opts.onPrompt((c.prompt && (c.prompt[lang] || c.prompt.id)) || ""); }
    var count = Math.max(c.frames.min, Math.min(c.frames.max, c.frames.min + 2));
    var form = new FormData();
    form.append("challenge", c.challenge);
    await H.sleep(c.interval_ms);
    for (var i = 0; i < count; i++) {
      if (i) { await H.sleep(c.interval_ms); }
      form.append("frames", await H.capture(video), "frame" + i + ".jpg");
    }
    addFields(form);
    if (opts.onProgress) { opts.onProgress("checkin.deciding"); }
    return H.post("/api/v1/attendance/" + path + "/live", form);
  };

  /* Capture, send, and fall back to the challenge when the server asks for liveness. */
  H.check = async function (kind, video, opts) {
    var path = kind === "check_out" ? "check-out" : "check-in";
    var addFields = fieldsFor(opts);
    var blob = await H.capture(video);
    var form = new FormData();
    form.append("image", blob, "face.jpg");
    addFields(form);
    if (opts.onProgress) { opts.onProgress("checkin.deciding"); }
    var res = await H.post("/api/v1/attendance/" + path, form);
    var code = res.data && res.data.error && res.data.error.code;
    if (!res.ok && code === "liveness_required") {
      res = await H.challenge(kind, path, video, opts, fieldsFor(opts));
    }
    return res;
  };

  H.localTime = function (iso) {
    var lang = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
    var text = new Intl.DateTimeFormat(lang, {
      timeZone: "Asia/Jakarta", weekday: "long", day: "numeric", month: "long",
      year: "numeric", hour: "2-digit", minute: "2-digit"
    }).format(new Date(iso));
    return text + " WIB";
  };

  /* What to show for an answer: {ok, title, lines}. */
  H.describe = function (res, msgs) {
    if (res.ok && res.data) {
      var d = res.data, lines = [d.employee.name, H.localTime(d.time)];
      if (d.decision === "needs_review") {
        lines.push(msgs["checkin.review"]);
      } else if (d.kind === "check_in" && d.status === "on_time") {
        lines.push(msgs["checkin.on_time"]);
      } else if (d.kind === "check_in" && d.status === "late") {
        lines.push(H.fmt(msgs["checkin.late"], { n: d.late_minutes }));
      } else if (d.kind === "check_out" && d.left_early_minutes > 0) {
        lines.push(H.fmt(msgs["checkin.left_early"], { n: d.left_early_minutes }));
      } else {
        lines.push(msgs["checkin.status_other"]);
      }
      var title = msgs[d.kind === "check_out" ? "checkin.recorded_out" : "checkin.recorded_in"];
      return { ok: true, title: title, lines: lines, data: d };
    }
    if (res.status === 0) {
      return { ok: false, title: msgs["checkin.network"], lines: [], code: "network" };
    }
    var code = (res.data && res.data.error && res.data.error.code) || "unknown";
    var key = msgs["err." + code + ".title"] ? code : "unknown";
    return {
      ok: false,
      code: code,
      title: msgs["err." + key + ".title"],
      lines: [msgs["checkin.what_next"] + " " + msgs["err." + key + ".hint"]]
    };
  };

  /* Fill a result box with text only (never HTML). */
  H.show = function (box, outcome) {
    box.textContent = "";
    box.hidden = false;
    box.className = "result " + (outcome.ok ? "ok" : "refused");
    box.setAttribute("data-outcome", outcome.ok ? "ok" : (outcome.code || "refused"));
    var title = document.createElement("p");
    title.className = "result-title";
    title.textContent = outcome.title;
    box.appendChild(title);
    outcome.lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
  };
})();
