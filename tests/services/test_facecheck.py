"""Enrolment cross-checks and the duplicate-face report (fake engine: the "photos" are
specs whose similarity to a person's reference vector is known)."""

from __future__ import annotations

from hadir.domain.errors import ErrorCode
from hadir.face.matching import Thresholds
from hadir.services.enrolment import EnrolmentOutcome, enrol_faces
from hadir.services.facecheck import duplicate_report
from hadir.services.ports import UowFactory
from services.conftest import FakeFaceEngine, photo
from services.helpers import ARIO, SRI, add_employee

BUDI = "199001012015011003"


def _enrol(
    make: UowFactory, engine: FakeFaceEngine, nip: str, *photos: bytes, **kw: object
) -> list[EnrolmentOutcome]:
    return enrol_faces(make, engine, nip, list(photos), consent=True, **kw)  # type: ignore[arg-type]


def _templates(make: UowFactory, nip: str) -> int:
    with make() as uow:
        return len(uow.templates.list_for(uow.employees.get_by_employee_id(nip).id))


def test_a_face_enrolled_for_another_employee_is_refused_naming_the_other_nip(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    add_employee(uow_factory(), ARIO, "Ario Nugroho")
    assert _enrol(uow_factory, fake_engine, SRI, photo("sri", seed=1))[0].accepted
    [outcome] = _enrol(uow_factory, fake_engine, ARIO, photo("sri", seed=2))
    assert not outcome.accepted
    assert outcome.error_code is ErrorCode.FACE_MATCHES_OTHER_EMPLOYEE
    assert outcome.other_employee_id == SRI
    assert outcome.similarity is not None and outcome.similarity > 0.9
    assert SRI not in (outcome.message or "")  # the message names nobody
    assert _templates(uow_factory, ARIO) == 0


def test_an_admin_override_enrols_twins_and_is_audited(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    add_employee(uow_factory(), ARIO, "Ario Nugroho")
    _enrol(uow_factory, fake_engine, SRI, photo("twin", seed=1))
    [outcome] = _enrol(uow_factory, fake_engine, ARIO, photo("twin", seed=2), override_by="root")
    assert outcome.accepted
    with uow_factory() as uow:
        entries = [(e.actor, e.action, e.target) for e in uow.audit.list()]
    assert ("root", "faces.enrol_override", ARIO) in entries
    report = duplicate_report(uow_factory(), fake_engine)
    assert [(p.employee_id, p.other_employee_id) for p in report.pairs] == [(SRI, ARIO)]
    assert report.templates == 2
    assert report.pairs[0].similarity >= report.threshold


def test_a_photo_that_does_not_match_the_employee_is_refused_as_inconsistent(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    _enrol(uow_factory, fake_engine, SRI, photo("sri", seed=1))
    outcomes = _enrol(
        uow_factory, fake_engine, SRI, photo("stranger", seed=2), photo("sri", seed=3)
    )
    assert [o.error_code for o in outcomes] == [ErrorCode.FACE_INCONSISTENT, None]
    assert outcomes[0].similarity is not None and outcomes[0].similarity < 0.9
    assert _templates(uow_factory, SRI) == 2


def test_a_first_batch_must_agree_with_itself(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    add_employee(uow_factory(), BUDI, "Budi")
    two = _enrol(uow_factory, fake_engine, SRI, photo("sri", seed=1), photo("other", seed=2))
    # which of two disagreeing photos is the employee cannot be told: both are refused
    assert [o.error_code for o in two] == [ErrorCode.FACE_INCONSISTENT] * 2
    three = _enrol(
        uow_factory,
        fake_engine,
        BUDI,
        photo("budi", seed=1),
        photo("intruder", seed=2),
        photo("budi", seed=3),
    )
    assert [o.accepted for o in three] == [True, False, True]
    assert three[1].error_code is ErrorCode.FACE_INCONSISTENT


def test_a_photo_of_another_employee_does_not_vote_in_the_batch(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    add_employee(uow_factory(), ARIO, "Ario Nugroho")
    _enrol(uow_factory, fake_engine, SRI, photo("sri", seed=1))
    outcomes = _enrol(uow_factory, fake_engine, ARIO, photo("ario", seed=1), photo("sri", seed=9))
    assert [o.error_code for o in outcomes] == [None, ErrorCode.FACE_MATCHES_OTHER_EMPLOYEE]


def test_the_report_is_empty_for_distinct_people_and_sees_inactive_employees(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    add_employee(uow_factory(), ARIO, "Ario Nugroho")
    _enrol(uow_factory, fake_engine, SRI, photo("sri", seed=1), photo("sri", seed=2))
    _enrol(uow_factory, fake_engine, ARIO, photo("ario", seed=1))
    assert duplicate_report(uow_factory(), fake_engine).pairs == ()
    add_employee(uow_factory(), BUDI, "Budi (ghost)", active=False)
    with uow_factory() as uow:  # a ghost record enrolled before the check existed
        uow.templates.add(
            uow.employees.get_by_employee_id(BUDI).id,
            fake_engine.analyse(photo("ario", seed=5)).embedding,
        )
        uow.commit()
    [pair] = duplicate_report(uow_factory(), fake_engine).pairs
    assert {pair.employee_id, pair.other_employee_id} == {ARIO, BUDI}
    assert not (pair.active if pair.employee_id == BUDI else pair.other_active)


class _GalleryEngine(FakeFaceEngine):
    """The fixed 1:N point is strict (0.99); searched among few people, the threshold
    scaled to the gallery is 0.85 (as the shipped worst-group scaling does)."""

    def __init__(self) -> None:
        super().__init__()
        self.identify_thresholds = Thresholds(accept=0.99, review=0.6)
        self.people: list[int] = []

    def identify_thresholds_for(self, people: int) -> Thresholds:
        self.people.append(people)
        return Thresholds(accept=0.85 if people < 10 else 0.99, review=0.6)


def test_the_cross_check_and_the_report_use_the_threshold_scaled_to_the_office(
    uow_factory: UowFactory,
) -> None:
    engine = _GalleryEngine()
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    add_employee(uow_factory(), ARIO, "Ario Nugroho")
    assert _enrol(uow_factory, engine, SRI, photo("sri", sim=0.98, seed=1))[0].accepted
    assert engine.people == [0]  # nobody else enrolled yet
    # about 0.88 to Sri's template: below the fixed point, above the one for 1 other person
    [outcome] = _enrol(uow_factory, engine, ARIO, photo("sri", sim=0.9, seed=2))
    assert engine.people == [0, 1]
    assert outcome.error_code is ErrorCode.FACE_MATCHES_OTHER_EMPLOYEE
    assert outcome.similarity is not None and 0.85 <= outcome.similarity < 0.99
    _enrol(uow_factory, engine, ARIO, photo("sri", sim=0.9, seed=2), override_by="root")
    report = duplicate_report(uow_factory(), engine)
    assert engine.people[-1] == 2 and report.threshold == 0.85
    assert [(p.employee_id, p.other_employee_id) for p in report.pairs] == [(SRI, ARIO)]
