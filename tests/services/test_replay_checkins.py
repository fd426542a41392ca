"""An edited copy of an earlier CHECK-IN photo is a replay (issue 13, finding 6): the
photo of yesterday's check-in, cropped, rescaled, re-encoded, brightened, rotated or
mirrored, was accepted as new. Real engine, real dev faces, SQLite and PostgreSQL."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image as PilImage
from sqlalchemy import Engine

from hadir.domain.attendance import AttendanceKind, Decision
from hadir.domain.errors import ErrorCode, HadirError
from hadir.face.intake import decode_image
from hadir.face.types import Image
from hadir.services.checkin import CheckRequest, check
from hadir.services.enrolment import enrol_faces
from hadir.services.index import TemplateIndexProvider
from hadir.services.ports import FaceAnalyser
from hadir.services.privacy import purge

from .conftest import FixedClock, factory_for, wib
from .helpers import POLICY, SRI, add_employee

pytestmark = pytest.mark.slow


def _rotate(image: Image) -> Image:
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), 8, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), borderMode=cv2.BORDER_REFLECT)


def _jpeg(image: Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    PilImage.fromarray(np.ascontiguousarray(image)).save(out, format="JPEG", quality=quality)
    return out.getvalue()


EDITS: dict[str, Callable[[Image], bytes]] = {
    "crop": lambda im: _jpeg(im[15:-15, 12:-18]),
    "rescale": lambda im: _jpeg(cv2.resize(im, (175, 175), interpolation=cv2.INTER_AREA)),
    "jpeg": lambda im: _jpeg(im, 40),
    "brightness": lambda im: _jpeg(np.clip(im.astype(np.int16) + 40, 0, 255).astype(np.uint8)),
    "rotate": lambda im: _jpeg(_rotate(im)),
    "mirror": lambda im: _jpeg(im[:, ::-1]),
}


def test_an_edited_copy_of_an_earlier_check_in_is_a_replay(
    any_db: Engine, engine: FaceAnalyser, faces: Path
) -> None:
    uow_factory = factory_for(any_db)
    serena = faces / "Serena_Williams"
    add_employee(uow_factory(), SRI, "Serena Williams")
    provider = TemplateIndexProvider(uow_factory)
    enrol_faces(
        uow_factory, engine, SRI, [(serena / "Serena_Williams_0001.jpg").read_bytes()], consent=True
    )

    def send(data: bytes, day: int) -> Decision:
        clock = FixedClock(wib(2025, 3, day, 7, 45))
        request = CheckRequest(AttendanceKind.CHECK_IN, data, SRI)
        return check(uow_factory, engine, provider, request, clock=clock, policy=POLICY).decision

    monday = (serena / "Serena_Williams_0004.jpg").read_bytes()
    assert send(monday, 3) is Decision.ACCEPTED
    with uow_factory() as uow:
        (event,) = uow.events.list()
    assert event.face_fingerprint is not None and len(event.face_fingerprint) == 16

    original = decode_image(monday)
    for name, edit in EDITS.items():
        with pytest.raises(HadirError) as raised:
            send(edit(original), 4)
        assert raised.value.code is ErrorCode.REPLAYED_IMAGE, (name, raised.value)
        if name in ("crop", "rotate", "mirror"):  # missed by the whole-image hash
            assert raised.value.details.get("reason") == "same_as_checkin", (name, raised.value)
            assert raised.value.details["earlier_event_id"] == event.id

    # new photos of the same person are not copies: accepted on the following days
    for day, number in ((5, 2), (6, 3), (7, 5)):
        fresh = (serena / f"Serena_Williams_{number:04d}.jpg").read_bytes()
        assert send(fresh, day) is Decision.ACCEPTED, number

    with uow_factory() as uow:
        events = uow.events.list()
    refused = [e for e in events if e.decision is Decision.REJECTED]
    assert len(refused) == len(EDITS)
    assert all(e.refusal_code == "replayed_image" and e.face_fingerprint is None for e in refused)

    # kept as long as evidence photos: purged after evidence_days, then not compared
    later = wib(2025, 3, 3, 7, 45) + timedelta(days=31)
    done = purge(uow_factory, now=later, fingerprint_days=30)
    assert done.face_fingerprints == 1
    with uow_factory() as uow:
        assert uow.events.get(event.id).face_fingerprint is None
