"""Who signs a printed report, and the printed recap's order and flags (service path, on
SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Engine

from hadir.domain.attendance import DisciplineRules
from hadir.services.printing import Letterhead, Signer, printed_recap, printed_roll

from .conftest import FixedClock, factory_for
from .helpers import ARIO, SRI, add_employee

HEAD = Signer("Kepala Badan", "Ir. Sutrisno", "196805121994031004")
ACTING = Signer("Plt. Kepala Dinas Kesehatan", "dr. Rina", "197501012000122001")


def test_signer_precedence_without_the_tree() -> None:
    full = Letterhead("Bappeda Sleman", "Sleman", HEAD, {"Dinkes": ACTING})
    assert full.signer_for("Dinkes") == ACTING
    assert full.signer_for("Umum") == HEAD
    assert full.signer_for(None) == HEAD
    untitled = Letterhead("Bappeda Sleman", signer=Signer(name="Ir. Sutrisno"))
    assert untitled.signer_for(None) == Signer("Kepala Bappeda Sleman", "Ir. Sutrisno")
    blank = Letterhead("Bappeda Sleman")
    assert blank.signer_for("Umum") == Signer("Kepala Umum")
    assert blank.signer_for(None) == Signer("Kepala Bappeda Sleman")
    assert Letterhead().signer_for(None).title == "Kepala " + "." * 24


def test_printed_recap_and_roll_on_both_backends(any_db: Engine) -> None:
    make_uow = factory_for(any_db)
    sri = add_employee(make_uow(), SRI, "sri Wahyuni", unit="Bappeda")
    add_employee(make_uow(), ARIO, "Ario Nugroho", unit="Bappeda")
    with make_uow() as uow:
        unit = uow.units.add("Bappeda")
        uow.units.update(replace(unit, head_id=sri.id))
        uow.commit()
    letterhead = Letterhead("Bappeda Sleman", "Sleman", HEAD)
    clock = FixedClock(datetime(2025, 3, 12, 3, 0, tzinfo=UTC))  # Wednesday 10:00 WIB
    rules = DisciplineRules(absent_percent=Decimal("2"))
    recap = printed_recap(
        make_uow, "2025-03", "Bappeda", letterhead=letterhead, discipline=rules, clock=clock
    )
    assert [r.name for r in recap.rows] == ["Ario Nugroho", "sri Wahyuni"]  # by name, any case
    assert recap.signer == Signer("Kepala Bappeda", "sri Wahyuni", SRI)  # the tree's head
    assert (recap.place, recap.signed_on, recap.provisional) == ("Sleman", date(2025, 3, 12), True)
    # 3..12 March: 8 working days absent so far (today counts once past 08:00), 2 % each
    assert [r.discipline.deduction_percent for r in recap.rows] == [16, 16]
    assert recap.rules == rules

    roll = printed_roll(make_uow, date(2025, 3, 11), None, letterhead=letterhead, clock=clock)
    assert roll.signer == HEAD  # every unit: the default signer
    assert not roll.provisional and len(roll.rows) == 2
    assert {s.value: n for s, n in roll.tally.items()} == {"absent": 2}
