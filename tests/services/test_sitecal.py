"""Site calibration with the fake engine: refusal below the minimum, the shipped floor
and its audited override, and templates that keep working across recalibrations."""

from __future__ import annotations

import numpy as np
import pytest

from hadir.domain.attendance import AttendanceKind
from hadir.face.site import SiteTransform, Tail, blocks_of
from hadir.services.audit import Actor
from hadir.services.checkin import CheckRequest, check
from hadir.services.enrolment import enrol_faces
from hadir.services.index import TemplateIndexProvider
from hadir.services.ports import UowFactory
from hadir.services.sitecal import TooFewEmployeesError, calibrate_site, match_policy
from services.conftest import FakeFaceEngine, FixedClock, photo, wib
from services.helpers import POLICY, add_employee

ON_TIME = wib(2025, 3, 3, 7, 45)
ROOT = Actor("root")


def _office(make: UowFactory, engine: FakeFaceEngine, people: int) -> list[str]:
    nips = [f"19900101201501{i:04d}" for i in range(people)]
    for i, nip in enumerate(nips):
        add_employee(make(), nip, f"Pegawai {i}")
        photos = [photo(f"p{i}", seed=1), photo(f"p{i}", seed=2)]
        assert all(o.accepted for o in enrol_faces(make, engine, nip, photos, consent=True))
    return nips


def test_too_few_employees_are_refused_with_a_stable_code(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    _office(uow_factory, fake_engine, 5)
    with pytest.raises(TooFewEmployeesError) as caught:
        calibrate_site(uow_factory, fake_engine, actor=ROOT, min_employees=20)
    assert caught.value.code.value == "too_few_employees"
    assert caught.value.details == {"employees": 5, "required": 20}
    with uow_factory() as uow:
        assert uow.calibrations.latest(fake_engine.embedder.contract) is None


def test_calibration_keeps_the_floor_unless_an_admin_lowers_it(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    _office(uow_factory, fake_engine, 24)
    kept = calibrate_site(uow_factory, fake_engine, actor=ROOT, min_employees=20)
    c = kept.calibration
    floor = fake_engine.thresholds.accept
    assert kept.floor == floor and c.fitted < floor and c.accept == floor and not c.lowered
    assert c.employees == 24 and c.templates == 48
    assert c.impostor_pairs == 48 * 23 and c.genuine_pairs == 48
    assert c.fmr.low <= c.fmr.value <= c.fmr.high and c.tar.low <= c.tar.value <= c.tar.high
    assert c.tar.value == 1.0  # the fake's same-person photos are 0.96 alike
    assert kept.saved is not None
    lowered = calibrate_site(
        uow_factory,
        fake_engine,
        actor=Actor("boss", "10.0.0.9"),
        min_employees=20,
        allow_lower=True,
    )
    assert lowered.calibration.lowered and lowered.calibration.accept < floor
    with uow_factory() as uow:
        entries = [(e.actor, e.action, e.detail.get("lowered")) for e in uow.audit.list()]
        ips = {
            e.actor: e.detail.get("ip") for e in uow.audit.list() if e.action == "faces.calibrate"
        }
        policy = match_policy(uow, fake_engine)
    assert ("root", "faces.calibrate", False) in entries
    assert ("boss", "faces.calibrate", True) in entries
    assert ips == {"root": None, "boss": "10.0.0.9"}
    assert policy.calibration_id == lowered.saved.id  # type: ignore[union-attr]
    assert policy.thresholds.accept == pytest.approx(lowered.calibration.accept)


def test_templates_keep_working_across_recalibrations(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    nips = _office(uow_factory, fake_engine, 21)
    provider = TemplateIndexProvider(uow_factory)
    for round_ in range(2):
        calibrate_site(uow_factory, fake_engine, actor=ROOT, min_employees=20, seed=round_)
        pairs = ((AttendanceKind.CHECK_IN, nips[3]), (AttendanceKind.CHECK_OUT, None))
        for step, (kind, nip) in enumerate(pairs):
            probe = photo("p3", seed=10 + 2 * round_ + step)
            request = CheckRequest(
                kind, probe, employee_id=nip, client_request_id=f"r{round_}{kind}"
            )
            result = check(
                uow_factory,
                fake_engine,
                provider,
                request,
                clock=FixedClock(ON_TIME),
                policy=POLICY,
            )
            assert result.decision.value == "accepted"
            assert result.employee.employee_id == nips[3]


def test_the_site_transform_keeps_unit_norm_and_removes_the_shared_direction() -> None:
    rng = np.random.default_rng(1)
    shared = rng.standard_normal(64)
    people = rng.standard_normal((30, 64)) + 3 * shared
    vectors = (people / np.linalg.norm(people, axis=1, keepdims=True)).astype(np.float32)
    blocks = blocks_of(object(), 64)
    centre = vectors.mean(axis=0)
    moved = SiteTransform(blocks, centre).apply(vectors)
    assert np.allclose(np.linalg.norm(moved, axis=1), 1.0, atol=1e-5)
    before = vectors @ vectors.T
    after = moved @ moved.T
    off = ~np.eye(30, dtype=bool)
    assert before[off].mean() > 0.8 and abs(after[off].mean()) < 0.1


def test_the_pareto_tail_finds_a_gaussian_quantile_from_few_scores() -> None:
    rng = np.random.default_rng(2)
    scores = rng.normal(0.05, 0.1, 3_000)
    tail = Tail.fit(scores)
    assert tail.threshold(1e-3) == pytest.approx(0.05 + 0.1 * 3.09, abs=0.04)
    assert tail.exceedance(tail.threshold(1e-3)) == pytest.approx(1e-3, rel=1e-6)
