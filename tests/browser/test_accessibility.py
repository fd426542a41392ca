"""Every page in Chromium, in both languages, at 360 px and at desktop width: an axe-core
audit (installed by `make axe` from npm into .cache/, injected by the test, never from a
CDN) finds no serious or critical violation, and no sentence of the other language's
catalogue appears on the page."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from browser.conftest import ADMIN, ADMIN_PASSWORD, Launcher, Served, write_y4m
from browser.helpers import new_page, sign_in
from hadir.web.i18n import CATALOGUE

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("HADIR_AXE", ROOT / ".cache/axe/node_modules/axe-core/axe.min.js"))
BLOCKING = ("serious", "critical")
WIDTHS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
NIP, PASSWORD = "1001", "sri-12345"


def _axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: `make axe` installs axe-core", pytrace=False)
        pytest.skip(f"axe-core is not installed at {AXE} (run `make axe`)")
    return AXE.read_text()


def sentences(lang: str) -> list[str]:
    """Fixed parts (12+ characters, with a space) of the catalogue strings of ``lang``
    that the other language does not share: one of them on a page is a mixed language."""
    other = set(CATALOGUE["en" if lang == "id" else "id"].values())
    found = set()
    for value in CATALOGUE[lang].values():
        if value in other:
            continue
        for part in re.split(r"\{\w+\}", value):
            part = part.strip(" .,:;—–-()")
            if len(part) >= 12 and " " in part:
                found.add(part)
    return sorted(found)


def _setup(served: Served) -> str:
    from hadir.services.accounts import create_kiosk_token
    from hadir.services.audit import Actor
    from hadir.services.auth import create_user
    from hadir.services.records import NewEmployee, Role

    database = served.app.state.container.database  # type: ignore[attr-defined]
    with database.uow_factory() as uow:
        sri = uow.employees.add(NewEmployee(employee_id=NIP, name="Sri Wahyuni", unit="Bappeda"))
        create_user(uow, NIP, PASSWORD, Role.EMPLOYEE, employee_id=sri.id)
        uow.commit()
    clock = served.app.state.container.clock  # type: ignore[attr-defined]
    return create_kiosk_token(database.uow_factory, "lobi", now=clock(), actor=Actor("t")).token


def _audit(page: Any, axe: str, where: str) -> list[str]:
    page.add_script_tag(content=axe)
    found = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['nodes']}" for v in found if v["impact"] in BLOCKING
    ]


def _foreign(page: Any, lang: str, where: str) -> list[str]:
    text = page.evaluate("document.body.innerText")
    other = "en" if lang == "id" else "id"
    return [f"{where}: {s!r}" for s in sentences(other) if s in text]


def _pages(page: Any, start: str, selector: str) -> list[str]:
    page.goto(start)
    links = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    return list(dict.fromkeys([start, *links]))


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_every_page_passes_axe_and_speaks_one_language(
    width: str, served: Served, chromium: Launcher, faces: Path, tmp_path: Path
) -> None:
    axe = _axe_source()
    token = _setup(served)
    browser = chromium(
        write_y4m(faces / "Serena_Williams/Serena_Williams_0001.jpg", tmp_path / "c.y4m")
    )
    size = WIDTHS[width]
    problems: list[str] = []
    seen = 0

    def walk(page: Any, paths: list[str]) -> None:
        nonlocal seen
        for lang in ("id", "en"):
            for path in paths:
                sep = "&" if "?" in path else "?"
                page.goto(f"{path}{sep}lang={lang}")
                page.wait_for_load_state("load")
                where = f"{width} {lang} {path}"
                problems.extend(_audit(page, axe, where))
                problems.extend(_foreign(page, lang, where))
                seen += 1

    public = new_page(browser, served, viewport=size, bypass_csp=True)
    public.goto("/masuk")  # the audit can fail: a nameless button is caught
    public.evaluate("document.body.appendChild(document.createElement('button'))")
    assert any("button-name" in p for p in _audit(public, axe, "self-test"))
    walk(public, ["/masuk", "/kiosk/aktifkan"])

    admin = new_page(browser, served, viewport=size, bypass_csp=True)
    sign_in(admin, ADMIN, ADMIN_PASSWORD)
    console = _pages(admin, "/admin", "nav.side a")
    printable = ["/admin/laporan/cetak?unit=Bappeda", "/admin/laporan/daftar-hadir"]
    walk(admin, [*console, f"/admin/pegawai/{NIP}", "/admin/kalender?unit=Bappeda", *printable])

    phone = new_page(browser, served, viewport=size, bypass_csp=True)
    sign_in(phone, NIP, PASSWORD)
    walk(phone, _pages(phone, "/absen", "nav.tabs a"))

    kiosk = new_page(browser, served, viewport=size, bypass_csp=True)
    kiosk.goto("/kiosk/aktifkan")
    kiosk.locator("#token").fill(token)
    with kiosk.expect_navigation():
        kiosk.locator("button[type=submit]").click()
    walk(kiosk, ["/kiosk", "/kiosk/keluar"])

    assert seen >= 2 * 14, seen
    assert not problems, "\n".join(problems)
