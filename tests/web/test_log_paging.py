"""The console's attendance log pages by 100 rows (as the API does) with previous and
next links that keep the filters: a day of 230 check-ins of two people reads as 100, 100
and 30 rows, every attempt once; a filter by NIP pages only that person's attempts."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from hadir.domain.attendance import AttendanceKind, Decision
from hadir.services.records import MatchMethod, NewEmployee, NewEvent, Role
from services.conftest import wib
from web.conftest import Web

ROW = re.compile(r'<tr data-event="(\d+)">')
LINK = re.compile(r'<a href="\?([^"]*)" rel="(prev|next)">')


def _day_of_attempts(web: Web) -> dict[str, set[int]]:
    ids: dict[str, set[int]] = {"1001": set(), "1002": set()}
    with web.api.database.uow_factory() as uow:
        sri = uow.employees.add(NewEmployee(employee_id="1001", name="Sri Wahyuni"))
        budi = uow.employees.add(NewEmployee(employee_id="1002", name="Budi Santoso"))
        start = wib(2025, 3, 3, 7, 0)
        for i in range(230):
            who, nip = (sri, "1001") if i % 3 else (budi, "1002")
            at = start + timedelta(seconds=30 * i)
            event = uow.events.add(NewEvent(who.id, AttendanceKind.CHECK_IN, at,
                                            Decision.ACCEPTED, MatchMethod.VERIFY))  # fmt: skip
            ids[nip].add(event.id)
        uow.commit()
    return ids


def _walk(client: object, query: str) -> list[list[int]]:
    """Every page from ``query`` on, following the next links; checks the previous link."""
    pages: list[list[int]] = []
    while True:
        page = client.get(f"/admin/kehadiran?{query}")  # type: ignore[attr-defined]
        assert page.status_code == 200
        pages.append([int(i) for i in ROW.findall(page.text)])
        links = {rel: html.unescape(href) for href, rel in LINK.findall(page.text)}
        assert ("prev" in links) == (len(pages) > 1)
        if "next" not in links:
            return pages
        assert "date_from=2025-03-03" in links["next"]  # the filters are kept
        query = links["next"]


def test_the_log_pages_by_one_hundred_and_keeps_its_filters(web: Web) -> None:
    ids = _day_of_attempts(web)
    hr = web.browser(Role.OPERATOR)
    pages = _walk(hr, "date_from=2025-03-03")
    assert [len(p) for p in pages] == [100, 100, 30]
    seen = [i for page in pages for i in page]
    assert len(seen) == len(set(seen)) == 230
    assert set(seen) == ids["1001"] | ids["1002"]
    back = hr.get("/admin/kehadiran?date_from=2025-03-03&offset=100")
    prev = dict((rel, html.unescape(href)) for href, rel in LINK.findall(back.text))["prev"]
    assert prev == "date_from=2025-03-03&offset=0"
    only_budi = _walk(hr, "date_from=2025-03-03&nip=1002")
    assert [len(p) for p in only_budi] == [77]
    assert set(only_budi[0]) == ids["1002"]
