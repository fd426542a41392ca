"""Weight and installability: the phone's check-in page with its CSS and scripts stays under
150 KB, and the site is installable (manifest, icons, a service worker that caches the
static assets only)."""

from __future__ import annotations

import json
import re

from hadir.services.records import Role
from web.conftest import Web

BUDGET = 150 * 1024
"""Bytes of HTML + CSS + JS of the check-in page (a cheap phone on a slow network)."""


def test_the_check_in_page_weighs_less_than_150_kb(web: Web) -> None:
    sri = web.api.employee("1001", "Sri Wahyuni")
    phone = web.browser(Role.EMPLOYEE, employee=sri)
    for lang in ("id", "en"):
        page = phone.get(f"/absen?lang={lang}")
        assert page.status_code == 200
        assets = re.findall(r'<script src="([^"]+)"', page.text)
        assets += re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)
        assert any(a.endswith("checkin.js") for a in assets), assets
        assert any(a.endswith(".css") for a in assets), assets
        total = len(page.content) + sum(len(phone.get(a).content) for a in assets)
        print(f"check-in page ({lang}): {total} bytes with {len(assets)} assets")
        assert total < BUDGET, total


def test_installable_with_a_manifest_icons_and_a_static_only_service_worker(web: Web) -> None:
    client = web.anonymous()
    page = client.get("/masuk").text
    link = re.search(r'<link rel="manifest" href="([^"]+)"', page)
    assert link, "no manifest link"
    manifest = json.loads(client.get(link.group(1)).content)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    sizes = {i["sizes"] for i in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200 and got.headers["content-type"].startswith("image/")
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert "javascript" in worker.headers["content-type"]
    listed = re.findall(r'"(/[^"]+)"', worker.text.split("];")[0])
    assert listed and all(p.startswith("/static/") for p in listed), listed
    assert 'url.pathname.indexOf("/static/") !== 0' in worker.text  # everything else: network
    for path in listed:
        assert client.get(path).status_code == 200, path
