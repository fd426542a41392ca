"""Site calibrations (see ``tables.face.SiteCalibration``): append-only, the newest in force."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from hadir.face.site import Block
from hadir.face.types import EmbeddingContract
from hadir.services.face_records import Estimate, NewSiteCalibration, SiteCalibrationRecord
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.face import SiteCalibration

_STATS = ("accept", "review", "identify", "target_fmr", "fitted")
_COUNTS = ("employees", "templates", "impostor_pairs", "genuine_pairs")


def _blocks_text(blocks: tuple[Block, ...]) -> str:
    return ";".join(f"{b.start}:{b.stop}:{b.scale!r}" for b in blocks)


def _blocks(text: str) -> tuple[Block, ...]:
    parts = [p.split(":") for p in text.split(";") if p]
    return tuple(Block(int(a), int(b), float(c)) for a, b, c in parts)


def _record(row: SiteCalibration) -> SiteCalibrationRecord:
    contract = EmbeddingContract(
        model_id=row.model_id,
        model_sha256=row.model_sha256,
        preprocessing=row.preprocessing,
        dim=row.dim,
    )
    return SiteCalibrationRecord(
        contract=contract,
        blocks=_blocks(row.blocks),
        centre=np.frombuffer(row.centre, dtype="<f4").astype(np.float32),
        accept=row.accept,
        review=row.review,
        identify=row.identify,
        target_fmr=row.target_fmr,
        fitted=row.fitted,
        employees=row.employees,
        templates=row.templates,
        impostor_pairs=row.impostor_pairs,
        genuine_pairs=row.genuine_pairs,
        fmr=Estimate(row.fmr, row.fmr_low, row.fmr_high),
        tar=Estimate(row.tar, row.tar_low, row.tar_high),
        lowered=bool(row.lowered),
        created_by=row.created_by,
        id=row.id,
        created_at=row.created_at,
    )


class SiteCalibrationRepository(SqlRepository):
    def add(self, new: NewSiteCalibration) -> SiteCalibrationRecord:
        centre = np.asarray(new.centre, dtype="<f4")
        if centre.shape != (new.contract.dim,):
            raise ValueError("the centre must have the contract's dimension")
        row = SiteCalibration(
            model_id=new.contract.model_id,
            model_sha256=new.contract.model_sha256,
            preprocessing=new.contract.preprocessing,
            dim=new.contract.dim,
            blocks=_blocks_text(new.blocks),
            centre=centre.tobytes(),
            **{name: getattr(new, name) for name in _STATS + _COUNTS},
            fmr=new.fmr.value,
            fmr_low=new.fmr.low,
            fmr_high=new.fmr.high,
            tar=new.tar.value,
            tar_low=new.tar.low,
            tar_high=new.tar.high,
            lowered=new.lowered,
            created_by=new.created_by,
            created_at=self._now(),
        )
        self._session.add(row)
        self._session.flush()
        return _record(row)

    def latest(self, contract: EmbeddingContract) -> SiteCalibrationRecord | None:
        """The calibration in force for ``contract`` (its newest), if any."""
        query = (
            select(SiteCalibration)
            .where(
                SiteCalibration.preprocessing == contract.preprocessing,
                SiteCalibration.model_sha256 == contract.model_sha256,
                SiteCalibration.model_id == contract.model_id,
                SiteCalibration.dim == contract.dim,
            )
            .order_by(SiteCalibration.id.desc())
            .limit(1)
        )
        row = self._session.scalars(query).one_or_none()
        return None if row is None else _record(row)
