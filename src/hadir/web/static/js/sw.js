/* Hadir's service worker: keeps the static assets (CSS, scripts, icons) for a fast start on
   a slow phone network. Pages, the API and photos always go to the server: attendance is
   never answered from a cache. */
"use strict";
var CACHE = "hadir-static-v1";
var ASSETS = [
  "/static/css/hadir.css",
  "/static/js/site.js",
  "/static/js/camera.js",
  "/static/js/checkin.js",
  "/static/js/kiosk.js",
  "/static/img/icon.svg",
  "/static/img/icon-192.png"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(ASSETS); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin ||
      url.pathname.indexOf("/static/") !== 0) {
    return;  /* not ours to cache: the network answers */
  }
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return fetch(event.request).then(function (answer) {
      if (answer.ok) { cache.put(event.request, answer.clone()); }
      return answer;
    }).catch(function () {
      return cache.match(event.request).then(function (hit) { return hit || Response.error(); });
    });
  }));
});
