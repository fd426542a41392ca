"""Texture change between frames: one photo bent by a smooth warp keeps its texture, a
different view does not. Synthetic textures first, then the attack that beat the
head-turn check (a real dev photo with its nose pushed sideways) through the real engine."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from hadir.domain.errors import FaceQualityError
from hadir.face.intake import decode_image
from hadir.face.liveness import ChallengeAction, LivenessReason, LivenessThresholds, judge
from hadir.face.photowarp import WARP_KINDS, eyes_warp, nose_warp, turn_bursts, turned_face
from hadir.face.pipeline import FaceEngine, Purpose
from hadir.face.texture import face_texture, one_way_change, texture_change
from hadir.face.types import Image

LANDMARKS = np.array([[80, 90], [120, 90], [100, 112], [84, 134], [116, 134]], np.float32)


def _texture(seed: int) -> Image:
    rng = np.random.default_rng(seed)
    grey = cv2.GaussianBlur(rng.uniform(0, 255, (200, 200)).astype(np.float32), (0, 0), 2.0)
    grey = cv2.normalize(grey, None, 20, 235, cv2.NORM_MINMAX)
    return np.ascontiguousarray(np.repeat(grey.astype(np.uint8)[..., None], 3, axis=2))


def _noisy(image: Image, seed: int) -> Image:
    rng = np.random.default_rng(seed)
    return np.clip(image + rng.normal(0, 2, image.shape), 0, 255).astype(np.uint8)


def test_a_warped_texture_is_the_same_texture_and_another_is_not() -> None:
    base = _texture(1)
    frontal = face_texture(_noisy(base, 2), LANDMARKS)
    pushed = nose_warp(base, LANDMARKS, 0.5)
    moved = LANDMARKS.copy()
    moved[2, 0] += 20
    assert texture_change(frontal, face_texture(_noisy(pushed, 3), moved)) < 0.3
    bent = turned_face(base, LANDMARKS, 30.0)
    assert texture_change(frontal, face_texture(_noisy(bent, 4), LANDMARKS)) < 0.3
    other = face_texture(_noisy(_texture(5), 6), LANDMARKS)
    assert texture_change(frontal, other) > 2 * LivenessThresholds().min_texture_change


def test_a_fold_is_bent_back_the_other_way() -> None:
    """A strong eye warp folds the photo (texture hidden where it folds): bent back onto
    the original it looks like an occlusion and passes one way, but the original bent
    onto the fold explains it, so the change taken both ways stays low (a real turn
    hides texture both ways)."""
    base = _texture(1)
    frontal = face_texture(_noisy(base, 2), LANDMARKS)
    folded = face_texture(_noisy(eyes_warp(base, LANDMARKS, 0.55), 3), LANDMARKS)
    threshold = LivenessThresholds().min_texture_change
    assert one_way_change(frontal, folded) > threshold  # one way only: passed
    assert one_way_change(folded, frontal) < threshold / 1.5
    assert texture_change(frontal, folded) == texture_change(folded, frontal) < threshold


def _jpeg(image: Image) -> bytes:
    ok, buffer = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    assert ok
    return bytes(buffer.tobytes())


@pytest.fixture
def serena(engine: FaceEngine, faces: Path) -> tuple[Image, npt.NDArray[np.float32]]:
    image = decode_image((faces / "Serena_Williams" / "Serena_Williams_0010.jpg").read_bytes())
    (face,) = engine.detect(image)
    return image, face.landmarks


def test_the_nose_warp_burst_is_refused_by_its_texture(
    engine: FaceEngine, serena: tuple[Image, npt.NDArray[np.float32]]
) -> None:
    from hadir.services.liveness import observe

    image, landmarks = serena
    burst = [nose_warp(image, landmarks, s) for s in (0.0, 0.45, -0.45)]
    frames = [observe(engine, _jpeg(f))[1] for f in burst]
    geometry_only = LivenessThresholds(min_texture_change=0.0)
    assert judge(ChallengeAction.TURN_LEFT_RIGHT, frames, geometry_only).passed  # main's hole
    verdict = judge(ChallengeAction.TURN_LEFT_RIGHT, frames)
    assert verdict.reason is LivenessReason.SAME_TEXTURE, verdict
    assert verdict.measures is not None and verdict.measures.texture_change is not None
    assert verdict.measures.texture_change < LivenessThresholds().min_texture_change / 2


def test_every_warp_attack_kind_is_refused(
    engine: FaceEngine, serena: tuple[Image, npt.NDArray[np.float32]]
) -> None:
    from hadir.services.liveness import observe

    image, landmarks = serena
    bursts = turn_bursts(image, landmarks, np.random.default_rng(0))
    assert set(bursts) == set(WARP_KINDS)
    for kind, burst in bursts.items():
        try:
            frames = [observe(engine, _jpeg(f))[1] for f in burst]
        except FaceQualityError:  # a frame folded beyond a face: refused before liveness
            continue
        verdict = judge(ChallengeAction.TURN_LEFT_RIGHT, frames)
        assert not verdict.passed, (kind, verdict)


FOLDED_EYE_BURSTS = [
    # (photo, eye push in eye distances, jitter seed): each passed before the texture
    # test compared the photo itself with the ends of the turn. Tony_Shalhoub is from
    # half a, where the hole was found; the other two are held-out half b bursts that
    # the evaluation let through (docs/security.md, Warp attacks, round 4).
    ("Tony_Shalhoub/Tony_Shalhoub_0003.jpg", 0.55, 0),
    ("Paul_Tagliabue/Paul_Tagliabue_0003.jpg", 0.55, 2),
    ("Clint_Eastwood/Clint_Eastwood_0006.jpg", 0.55, 1),
]


@pytest.mark.parametrize(("photo", "push", "seed"), FOLDED_EYE_BURSTS)
def test_a_folding_eye_warp_of_an_off_frontal_photo_is_refused(
    engine: FaceEngine, faces: Path, photo: str, push: float, seed: int
) -> None:
    """The eyes and mouth pushed up to 0.7 eye distances, folding the photo over itself,
    of a photo taken a little off-frontal: the frame pushed towards the front became the
    most frontal one, so the two folded frames were only compared with each other (and a
    double fold hides content both ways, like a turn). The landmarks still move like a
    turn (the geometry passes); the unwarped photo in the middle of the turn is now
    compared with both ends, and the burst is refused as the same texture."""
    from hadir.face.photowarp import photometric_jitter
    from hadir.services.liveness import observe

    data = (faces / photo).read_bytes()
    image = decode_image(data)
    landmarks = engine.analyse(data, Purpose.VERIFY).detection.landmarks  # the main face
    rng = np.random.default_rng(seed)
    burst = [
        photometric_jitter(eyes_warp(image, landmarks, s), rng) for s in (0.0, push, 0.0, -push)
    ]
    frames = [observe(engine, _jpeg(f))[1] for f in burst]
    geometry_only = judge(
        ChallengeAction.TURN_LEFT_RIGHT, frames, LivenessThresholds(min_texture_change=0.0)
    )
    assert geometry_only.passed, geometry_only
    verdict = judge(ChallengeAction.TURN_LEFT_RIGHT, frames)
    assert verdict.reason is LivenessReason.SAME_TEXTURE, verdict
    assert verdict.measures is not None and verdict.measures.texture_change is not None
    assert verdict.measures.texture_change < LivenessThresholds().min_texture_change / 2
