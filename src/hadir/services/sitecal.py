"""Site calibration from the office's own staff, and the match policy the server applies.

``calibrate_site`` (``hadir calibrate``, the console's calibration page) fits the site
transform's centre (``hadir.face.site``) on the enrolled templates of the active
employees, scores every template against every other employee's templates in the
transformed space, and sets the 1:1 accept threshold at the target false-match rate (a
generalized Pareto tail where the pairs are too few). It never goes below the engine's
shipped threshold (fitted on the worst measured group) unless an admin allows it
(``allow_lower``, audited with the actor). TAR comes from same-employee template pairs (each
template against the employee's others); both rates get a 95 % interval from a bootstrap
over employees. No photo is needed and nothing but the centre and the figures is kept.

``match_policy`` is what the matching use cases apply: the newest calibration of the
engine's contract (centre + thresholds), else the engine's own thresholds. Templates are
stored as enrolled; the transform is applied to probe and templates at match time, so a
recalibration needs no re-enrolment. Saving a calibration bumps the template counter, so
every process rebuilds its 1:N index in the new space.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from hadir.domain.errors import ErrorCode, HadirError
from hadir.face.matching import Thresholds
from hadir.face.site import ScoreTable, SiteTransform, blocks_of, fit_transform, fmr_at
from hadir.face.site import threshold_for as tail_threshold
from hadir.face.types import Embedding
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.face_records import Estimate, NewSiteCalibration, SiteCalibrationRecord
from hadir.services.ports import TEMPLATES_COUNTER, AbstractUnitOfWork, FaceAnalyser, UowFactory

MIN_EMPLOYEES = 20
"""Fewer enrolled employees than this give too few impostor pairs to fit a tail."""
BOOTSTRAP_DRAWS = 200


class TooFewEmployeesError(HadirError):
    code = ErrorCode.TOO_FEW_EMPLOYEES


@dataclass(frozen=True)
class MatchPolicy:
    """Thresholds for 1:1 and 1:N, and the site transform (``None``: not calibrated).

    ``identify`` is the fixed 1:N point; ``identify_for(people)`` is what a search among
    ``people`` enrolled employees uses (identification, the enrolment cross-check, the
    duplicate report): the shipped worst-group threshold scaled to the gallery, or the
    site calibration's own identification threshold (fitted for its office's size)."""

    thresholds: Thresholds
    identify: Thresholds
    transform: SiteTransform | None = None
    calibration_id: int | None = None
    gallery: Callable[[int], Thresholds] | None = None

    def identify_for(self, people: int) -> Thresholds:
        return self.identify if self.gallery is None else self.gallery(people)

    def embedding(self, embedding: Embedding) -> Embedding:
        if self.transform is None:
            return embedding
        return Embedding(self.transform.apply(embedding.vector), embedding.contract)

    def embeddings(self, embeddings: Sequence[Embedding]) -> list[Embedding]:
        if self.transform is None or not embeddings:
            return list(embeddings)
        rows = self.transform.apply(np.stack([e.vector for e in embeddings]))
        return [Embedding(r, e.contract) for r, e in zip(rows, embeddings, strict=True)]


def shipped_policy(engine: FaceAnalyser) -> MatchPolicy:
    """The engine's own thresholds (1:N scaled to the gallery), no site transform."""
    return MatchPolicy(
        engine.thresholds, engine.identify_thresholds, gallery=engine.identify_thresholds_for
    )


def policy_of(record: SiteCalibrationRecord) -> MatchPolicy:
    return MatchPolicy(
        thresholds=Thresholds(accept=record.accept, review=record.review),
        identify=Thresholds(accept=record.identify, review=min(record.review, record.identify)),
        transform=SiteTransform(record.blocks, np.asarray(record.centre, dtype=np.float32)),
        calibration_id=record.id,
    )


def match_policy(uow: AbstractUnitOfWork, engine: FaceAnalyser) -> MatchPolicy:
    """The policy in force for the engine's contract (call inside ``with uow``)."""
    record = uow.calibrations.latest(engine.embedder.contract)
    return shipped_policy(engine) if record is None else policy_of(record)


def current_calibration(
    uow_factory: UowFactory, engine: FaceAnalyser
) -> SiteCalibrationRecord | None:
    """The site calibration in force for the engine's contract, if any."""
    with uow_factory() as uow:
        return uow.calibrations.latest(engine.embedder.contract)


@dataclass(frozen=True)
class CalibrationResult:
    calibration: NewSiteCalibration
    floor: float
    """The shipped accept threshold the calibration may not go below without override."""
    saved: SiteCalibrationRecord | None


def _interval(values: list[float], point: float) -> Estimate:
    low, high = np.percentile(np.asarray(values), [2.5, 97.5]) if values else (point, point)
    return Estimate(float(point), float(low), float(high))


def calibrate_site(
    uow_factory: UowFactory,
    engine: FaceAnalyser,
    *,
    actor: Actor,
    target_fmr: float = 1e-3,
    min_employees: int = MIN_EMPLOYEES,
    allow_lower: bool = False,
    save: bool = True,
    draws: int = BOOTSTRAP_DRAWS,
    seed: int = 0,
) -> CalibrationResult:
    """Fit, estimate and (``save``) store the site calibration; see the module docstring.
    ``TooFewEmployeesError`` when fewer than ``min_employees`` active employees have
    templates of the engine's contract. ``allow_lower``: ``actor`` allows a threshold below
    the shipped one (the audit entry says so)."""
    if not 0 < target_fmr < 0.1:
        raise HadirError("target_fmr must be between 0 and 0.1", field="target_fmr")
    contract = engine.embedder.contract
    with uow_factory() as uow:
        templates = uow.templates.list_all_for_contract(contract)
    owners = [t.employee_id for t in templates]
    employees = len(set(owners))
    if employees < max(3, min_employees):
        raise TooFewEmployeesError(
            f"Site calibration needs at least {min_employees} enrolled employees; "
            f"{employees} are enrolled with the current face model.",
            employees=employees,
            required=min_employees,
        )
    matrix = np.stack([t.embedding.vector for t in templates]).astype(np.float32)
    transform = fit_transform(blocks_of(engine.embedder, contract.dim), matrix, owners)
    table = ScoreTable.of(transform.apply(matrix), owners)
    impostor, genuine = table.scores()
    fitted = tail_threshold(impostor, target_fmr)
    shipped = shipped_policy(engine)
    floor = shipped.thresholds.accept
    accept = fitted if allow_lower else max(fitted, floor)
    accept = min(accept, 0.999)
    review = max(-1.0, accept - (floor - shipped.thresholds.review))
    per_gallery = tail_threshold(impostor, target_fmr / employees)
    scaled = shipped.identify_for(employees).accept
    identify = min(0.999, max(accept + (scaled - floor), per_gallery))

    rng = np.random.default_rng(seed)
    fmrs, tars = [], []
    for _ in range(draws):
        sample = rng.integers(0, employees, employees)
        imp, gen = table.scores(sample)
        fmrs.append(fmr_at(imp, accept))
        if gen.size:
            tars.append(float(np.mean(gen >= accept)))
    tar = float(np.mean(genuine >= accept)) if genuine.size else 0.0
    calibration = NewSiteCalibration(
        contract=contract,
        blocks=transform.blocks,
        centre=transform.centre,
        accept=accept,
        review=review,
        identify=identify,
        target_fmr=target_fmr,
        fitted=fitted,
        employees=employees,
        templates=len(templates),
        impostor_pairs=int(impostor.size),
        genuine_pairs=int(genuine.size),
        fmr=_interval(fmrs, fmr_at(impostor, accept)),
        tar=_interval(tars, tar),
        lowered=allow_lower and accept < floor,
        created_by=actor.username,
    )
    if not save:
        return CalibrationResult(calibration, floor, None)
    with uow_factory() as uow:
        saved = uow.calibrations.add(calibration)
        audit.write(
            uow,
            actor,
            "faces.calibrate",
            contract.model_id,
            detail={
                "calibration": saved.id,
                "accept": round(accept, 5),
                "fitted": round(fitted, 5),
                "floor": round(floor, 5),
                "lowered": calibration.lowered,
                "employees": employees,
            },
        )
        uow.counters.bump(TEMPLATES_COUNTER)
        uow.commit()
    return CalibrationResult(calibration, floor, saved)
