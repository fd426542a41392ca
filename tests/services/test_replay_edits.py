"""An edited enrolment photo sent as a check-in is a replay (issue 13, finding 6): the
same photo mirrored, cropped by 10-20 px, rotated 8 degrees, given a border or re-encoded
was accepted as new. Real engine, real dev faces."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image as PilImage

from hadir.domain.attendance import AttendanceKind, Decision
from hadir.domain.errors import ErrorCode, HadirError
from hadir.face.intake import decode_image
from hadir.face.types import Image
from hadir.services.checkin import CheckRequest, check
from hadir.services.enrolment import enrol_faces
from hadir.services.index import TemplateIndexProvider
from hadir.services.ports import FaceAnalyser
from services.helpers import POLICY

from .conftest import FixedClock, UowFactory, wib
from .helpers import SRI, add_employee

pytestmark = pytest.mark.slow


def _rotate(image: Image) -> Image:
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), 8, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), borderMode=cv2.BORDER_REFLECT)


EDITS: dict[str, Callable[[Image], Image]] = {
    "mirror": lambda im: im[:, ::-1].copy(),
    "crop": lambda im: im[15:-15, 12:-18].copy(),
    "rotate8": _rotate,
    "border": lambda im: cv2.copyMakeBorder(im, 24, 24, 24, 24, cv2.BORDER_CONSTANT, value=255),
    "reencode": lambda im: im,
}


def _jpeg(image: Image, quality: int) -> bytes:
    out = io.BytesIO()
    PilImage.fromarray(np.ascontiguousarray(image)).save(out, format="JPEG", quality=quality)
    return out.getvalue()


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edited_enrolment_photo_is_a_replay(
    uow_factory: UowFactory, engine: FaceAnalyser, faces: Path, edit: str
) -> None:
    serena = faces / "Serena_Williams"
    add_employee(uow_factory(), SRI, "Serena Williams")
    provider = TemplateIndexProvider(uow_factory)
    enrolled = (serena / "Serena_Williams_0001.jpg").read_bytes()
    enrol_faces(uow_factory, engine, SRI, [enrolled], consent=True)
    probe = _jpeg(EDITS[edit](decode_image(enrolled)), 50 if edit == "reencode" else 90)
    clock = FixedClock(wib(2025, 3, 3, 7, 45))
    with pytest.raises(HadirError) as raised:
        check(
            uow_factory,
            engine,
            provider,
            CheckRequest(AttendanceKind.CHECK_IN, probe, SRI),
            clock=clock,
            policy=POLICY,
        )
    assert raised.value.code is ErrorCode.REPLAYED_IMAGE, raised.value
    # a different genuine photo of the same person still checks in
    fresh = (serena / "Serena_Williams_0004.jpg").read_bytes()
    answer = check(
        uow_factory,
        engine,
        provider,
        CheckRequest(AttendanceKind.CHECK_IN, fresh, SRI),
        clock=clock,
        policy=POLICY,
    )
    assert answer.decision is Decision.ACCEPTED
