"""Leave validation, events normalisation, holiday calendars and the idempotency rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hadir.domain.attendance import (
    AttendanceEvent,
    AttendanceKind,
    CombinedHolidayCalendar,
    Decision,
    Leave,
    LeaveKind,
    LeaveStatus,
    approved_leave_on,
    find_replay,
    holiday_name,
)
from hadir.domain.errors import ConflictError, DomainValidationError, ErrorCode

MON = date(2025, 6, 2)
T0 = datetime(2025, 6, 2, 0, 55, tzinfo=UTC)


def test_leave_kind_values_are_stable() -> None:
    assert [k.value for k in LeaveKind] == ["izin", "sakit", "cuti", "dinas_luar", "wfh"]
    assert [k.is_absence for k in LeaveKind] == [True, True, True, True, False]
    assert [s.value for s in LeaveStatus] == ["requested", "endorsed", "approved", "rejected"]


def test_leave_must_not_end_before_it_starts() -> None:
    with pytest.raises(DomainValidationError) as info:
        Leave(1, LeaveKind.CUTI, MON, MON - timedelta(days=1), LeaveStatus.APPROVED)
    assert info.value.code is ErrorCode.VALIDATION_ERROR
    assert "before it starts" in info.value.message
    assert info.value.details["field"] == "end_date"


def test_leave_range_and_coercion() -> None:
    leave = Leave(1, "cuti", MON, MON + timedelta(days=2), "approved")  # type: ignore[arg-type]
    assert leave.kind is LeaveKind.CUTI and leave.is_approved
    assert leave.calendar_days == 3
    assert leave.dates() == [MON, MON + timedelta(days=1), MON + timedelta(days=2)]
    assert leave.covers(MON + timedelta(days=2)) and not leave.covers(MON + timedelta(days=3))
    single = Leave(1, LeaveKind.IZIN, MON, MON)
    assert single.status is LeaveStatus.REQUESTED and single.calendar_days == 1
    with pytest.raises(DomainValidationError):
        Leave(1, "holiday", MON, MON)  # type: ignore[arg-type]


def test_approved_leave_on_picks_the_first_approved_one() -> None:
    requested = Leave(1, LeaveKind.CUTI, MON, MON, LeaveStatus.REQUESTED)
    sick = Leave(1, LeaveKind.SAKIT, MON, MON, LeaveStatus.APPROVED)
    duty = Leave(1, LeaveKind.DINAS_LUAR, MON, MON, LeaveStatus.APPROVED)
    assert approved_leave_on([requested, sick, duty], 1, MON) is sick
    assert approved_leave_on([requested], 1, MON) is None
    assert approved_leave_on([sick], 2, MON) is None


def test_event_is_normalised_to_utc_and_rejects_naive() -> None:
    wib = timezone(timedelta(hours=7))
    raw_decision: Decision = "accepted"  # type: ignore[assignment]  # as read from storage
    event = AttendanceEvent(
        1, AttendanceKind.CHECK_IN, datetime(2025, 6, 2, 8, 0, tzinfo=wib), raw_decision
    )
    assert event.occurred_at == datetime(2025, 6, 2, 1, 0, tzinfo=UTC)
    assert event.occurred_at.tzinfo is UTC
    assert event.decision is Decision.ACCEPTED and event.counts
    assert event.local_date("Asia/Jakarta") == MON
    with pytest.raises(DomainValidationError, match="occurred_at"):
        AttendanceEvent(1, AttendanceKind.CHECK_IN, datetime(2025, 6, 2, 8), Decision.ACCEPTED)
    with pytest.raises(DomainValidationError):
        AttendanceEvent(1, "lunch", T0, Decision.ACCEPTED)  # type: ignore[arg-type]


def _event(
    request_id: str | None,
    at: datetime = T0,
    kind: AttendanceKind = AttendanceKind.CHECK_IN,
    employee_id: int = 1,
    decision: Decision = Decision.ACCEPTED,
) -> AttendanceEvent:
    return AttendanceEvent(employee_id, kind, at, decision, client_request_id=request_id)


def test_find_replay_returns_the_first_matching_event() -> None:
    first = _event("abc", T0, decision=Decision.NEEDS_REVIEW)
    again = _event("abc", T0 + timedelta(seconds=3))
    existing = [again, _event("other"), first, _event("abc", T0, employee_id=2)]
    assert find_replay(existing, employee_id=1, client_request_id="abc") is first
    assert (
        find_replay(existing, employee_id=1, client_request_id="abc", kind=AttendanceKind.CHECK_IN)
        is first
    )


@pytest.mark.parametrize("request_id", [None, "", "   ", "new"])
def test_find_replay_new_request(request_id: str | None) -> None:
    existing = [_event(None), _event(""), _event("abc")]
    assert find_replay(existing, employee_id=1, client_request_id=request_id) is None


def test_find_replay_is_per_employee() -> None:
    assert (
        find_replay([_event("abc", employee_id=2)], employee_id=1, client_request_id="abc") is None
    )


def test_reusing_a_request_id_for_the_other_kind_conflicts() -> None:
    with pytest.raises(ConflictError) as info:
        find_replay(
            [_event("abc")], employee_id=1, client_request_id="abc", kind=AttendanceKind.CHECK_OUT
        )
    assert info.value.code is ErrorCode.CONFLICT
    assert info.value.details["existing_kind"] == "check_in"


class _LibraryStyleCalendar(dict[date, str]):
    """Like ``holidays.HolidayBase``: a dict subclass."""


def test_holiday_calendars() -> None:
    national = _LibraryStyleCalendar({MON: "Hari Raya Waisak"})
    office = {MON + timedelta(days=1): "Cuti Bersama", MON: "Cuti Bersama Waisak"}
    assert holiday_name(national, MON) == "Hari Raya Waisak"
    assert holiday_name(national, MON + timedelta(days=1)) is None
    assert holiday_name({MON: ""}, MON) is None
    combined = CombinedHolidayCalendar((national, office))
    assert holiday_name(combined, MON) == "Hari Raya Waisak"
    assert holiday_name(combined, MON + timedelta(days=1)) == "Cuti Bersama"
    assert holiday_name(CombinedHolidayCalendar((office, national)), MON) == "Cuti Bersama Waisak"
