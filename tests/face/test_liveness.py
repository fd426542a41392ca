"""Liveness geometry: a synthetic 3-D head against a flat sheet, then real dev photos
through the real engine (genuine poses, a flat sheet turned, a still repeated)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from face.liveness_shapes import head, sheet
from hadir.face.flatwarp import warp_sheet, zoom_crop
from hadir.face.intake import decode_image
from hadir.face.liveness import (
    ChallengeAction,
    FrameObservation,
    LivenessReason,
    judge,
    nose_parallax,
    patch_difference,
    texture_pairs,
)
from hadir.face.pipeline import FaceEngine
from hadir.face.quality import yaw_from_landmarks
from hadir.face.types import Image


def frame(landmarks: npt.NDArray[np.float32], tag: int, *, same: bool = True) -> FrameObservation:
    x1, y1 = landmarks.min(axis=0) - 40
    x2, y2 = landmarks.max(axis=0) + 40
    side = max(x2 - x1, y2 - y1)
    patch = np.full((32, 32), 100 + 10 * tag, dtype=np.uint8)
    return FrameObservation(
        landmarks=landmarks,
        box=(float(x1), float(y1), float(x1 + side), float(y1 + side)),
        image_size=(480, 640),
        patch=patch,
        digest=hashlib.sha256(f"{tag}".encode()).digest(),
        same_person=same,
    )


def test_yaw_sign_and_parallax_of_a_head_against_a_sheet() -> None:
    assert yaw_from_landmarks(head(30)) > 20
    assert yaw_from_landmarks(head(-30)) < -20
    assert abs(yaw_from_landmarks(head(0))) < 1
    assert nose_parallax(head(0), head(30)) > 0.18  # 24 sin 30 / (63 cos 30)
    assert nose_parallax(head(-25), head(25)) > 0.3
    # a sheet turned in perspective moves the nose with the other four points
    assert nose_parallax(sheet(0), sheet(35)) < 0.05
    assert abs(yaw_from_landmarks(sheet(35)) - yaw_from_landmarks(sheet(0))) < 8
    # moving a flat face (shift, scale, roll) is no parallax at all
    moved = head(0) * 1.3 + np.array([40.0, -10.0], dtype=np.float32)
    assert nose_parallax(head(0), moved) < 1e-4


def test_judge_turn() -> None:
    genuine = [frame(head(y), i) for i, y in enumerate((0, 30, 5, -30))]
    verdict = judge(ChallengeAction.TURN_LEFT_RIGHT, genuine)
    assert verdict.passed, verdict
    assert verdict.best_frame == 0
    reversed_turn = [frame(head(y), i) for i, y in enumerate((0, -30, 5, 30))]
    assert judge("turn_left_right", reversed_turn).reason is LivenessReason.WRONG_DIRECTION
    flat = [frame(sheet(y), i) for i, y in enumerate((0, 35, 0, -35))]
    assert judge("turn_left_right", flat).reason in {
        LivenessReason.PLANAR_MOTION,
        LivenessReason.NO_MOTION,
    }
    still = [frame(head(0), 0)] * 4
    assert judge("turn_left_right", still).reason is LivenessReason.IDENTICAL_FRAMES
    small = [frame(head(y), i) for i, y in enumerate((0, 3, -3))]
    assert judge("turn_left_right", small).reason is LivenessReason.NO_MOTION
    swapped = [frame(head(y), i, same=i != 1) for i, y in enumerate((0, 30, -30))]
    assert judge("turn_left_right", swapped).reason is LivenessReason.IDENTITY_CHANGED
    assert judge("turn_left_right", genuine[:2]).reason is LivenessReason.TOO_FEW_FRAMES
    assert judge("turn_left_right", genuine * 3).reason is LivenessReason.TOO_FEW_FRAMES


def test_judge_come_closer() -> None:
    closer = [frame(head(0, depth=d), i) for i, d in enumerate((600, 520, 450, 400))]
    assert judge(ChallengeAction.COME_CLOSER, closer).passed
    away = list(reversed(closer))
    assert judge(ChallengeAction.COME_CLOSER, away).reason is LivenessReason.WRONG_DIRECTION
    still = [frame(head(0), i) for i in range(4)]
    assert judge(ChallengeAction.COME_CLOSER, still).reason is LivenessReason.NO_MOTION


def test_patch_difference() -> None:
    a = np.zeros((32, 32), dtype=np.uint8)
    assert patch_difference(a, a) == 0.0
    assert patch_difference(a, a + 7) == pytest.approx(7.0)


# ---- real dev photos through the real engine ----

PERSON = "Serena_Williams"


def _frames(engine: FaceEngine, images: list[Image]) -> list[FrameObservation]:
    from hadir.services.liveness import observe

    out = []
    for image in images:
        ok, buffer = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        assert ok
        _, observation = observe(engine, bytes(buffer.tobytes()))
        out.append(observation)
    return out


def _photos_by_yaw(engine: FaceEngine, folder: Path) -> list[tuple[float, Image]]:
    found = []
    for path in sorted(folder.glob("*.jpg"))[:20]:
        image = decode_image(path.read_bytes())
        faces = engine.detect(image)
        if len(faces) == 1:
            found.append((yaw_from_landmarks(faces[0].landmarks), image))
    return sorted(found, key=lambda p: p[0])


def test_real_photos_genuine_turn_passes_and_flat_sheet_fails(
    engine: FaceEngine, faces: Path
) -> None:
    photos = _photos_by_yaw(engine, faces / PERSON)
    frontal = min(photos, key=lambda p: abs(p[0]))
    right, left = photos[0], photos[-1]
    assert left[0] > 15 and right[0] < -15, [p[0] for p in photos]
    genuine = _frames(engine, [frontal[1], left[1], right[1]])
    verdict = judge(ChallengeAction.TURN_LEFT_RIGHT, genuine)
    assert verdict.passed, verdict
    for distance in (1.0, 2.0):
        sheets = [warp_sheet(frontal[1], yaw=y, distance=distance) for y in (0, -30, 0, 30)]
        flat = judge(ChallengeAction.TURN_LEFT_RIGHT, _frames(engine, sheets))
        assert not flat.passed, (distance, flat)
    noise = np.random.default_rng(0)
    stills = [
        np.clip(frontal[1] + noise.normal(0, 2, frontal[1].shape), 0, 255).astype(np.uint8)
        for _ in range(4)
    ]
    # noise and re-encoding jitter MTCNN's landmarks, so the crops differ: the geometry
    # refuses a still
    still = judge(ChallengeAction.TURN_LEFT_RIGHT, _frames(engine, stills))
    assert still.reason in {LivenessReason.NO_MOTION, LivenessReason.IDENTICAL_FRAMES}, still
    same = judge(ChallengeAction.TURN_LEFT_RIGHT, _frames(engine, [frontal[1]] * 3))
    assert same.reason is LivenessReason.IDENTICAL_FRAMES, same
    zoomed = [zoom_crop(frontal[1], z) for z in (1.0, 1.15, 1.3)]
    assert judge(ChallengeAction.COME_CLOSER, _frames(engine, zoomed)).passed


def test_texture_pairs_compare_the_middle_of_the_turn_with_both_ends() -> None:
    """A face turning from the front: the front frame against each end, and the ends
    against each other. A burst whose frame pushed towards the front is the most frontal
    one (a warped off-frontal photo, yaw -26 unwarped): the unwarped frames in the middle
    of the turn are compared with both ends too, so no end is compared only with another
    warped frame."""
    assert texture_pairs([0.0, 25.0, 3.0, -22.0]) == [(0, 1), (0, 3), (1, 3)]
    pairs = texture_pairs([-26.0, 6.0, -21.0, -34.0])
    left, right, unwarped = 1, 3, 2
    assert (left, right) in pairs
    assert (left, unwarped) in pairs and (unwarped, right) in pairs
    assert texture_pairs([5.0, 5.0, 5.0]) == []
