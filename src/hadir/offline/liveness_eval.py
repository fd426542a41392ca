"""`hadir liveness-eval`: APCER per attack kind and BPCER of the liveness check on dev faces.

Genuine sequences are real photos of one person at different head poses (the detector's
yaw): the most frontal, then the most turned to the person's left, then to their right.
Attacks are built from the same photos: a still repeated (the same bytes, re-encoded, or
re-encoded with noise), a photo as a flat sheet turned in perspective, one photo bent by
smooth 2-D warps so that its landmarks move like a turn (:mod:`hadir.face.photowarp`: the
nose pushed sideways, the eyes and mouth pushed, a thin-plate spline of the whole face, a
cut-out moved over a fixed background, a warped frame mirrored, every frame folded),
another person's photo in the middle of a genuine sequence, and a used, expired or
altered challenge token.
"Come closer" is run both ways (a real photo zoomed, a printed photo brought closer): the
frames are the same, which is why that action does not tell a photo from a face.

Every frame goes through the real engine (one face, quality gates, embedding) and the
identity check against a held-out photo of the person, then :func:`judge`, exactly as
:func:`hadir.services.liveness.verify_and_check` does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from hadir.domain.attendance import AttendanceKind
from hadir.domain.errors import HadirError
from hadir.face.flatwarp import warp_sheet, zoom_crop
from hadir.face.intake import decode_image
from hadir.face.liveness import (
    ChallengeAction,
    FrameObservation,
    LivenessMeasures,
    LivenessThresholds,
    judge,
)
from hadir.face.matching import MatchDecision, verify
from hadir.face.photowarp import WARP_KINDS, turn_bursts
from hadir.face.pipeline import FaceAnalysis, FaceEngine, Purpose
from hadir.face.types import Embedding, Image
from hadir.services.challenge import consume_challenge, issue_challenge, open_challenge
from hadir.services.liveness import observe
from hadir.services.ports import UowFactory

Progress = Callable[[str], None]

GENUINE_MIN_SIDE_YAW = 15.0
"""A genuine turn sequence needs photos at least this many degrees each side."""

GENUINE_KINDS = ("genuine_turn", "genuine_closer")
ATTACK_KINDS = (
    "still_repeated",
    "flat_turn",
    *WARP_KINDS,
    "flat_closer",
    "swapped_person",
    "reused_challenge",
    "expired_challenge",
    "altered_challenge",
)


@dataclass(frozen=True)
class DevPhoto:
    person: str
    path: Path
    data: bytes
    yaw: float
    embedding: Embedding
    landmarks: npt.NDArray[np.float32]


@dataclass(frozen=True)
class Attempt:
    kind: str
    action: ChallengeAction
    person: str
    frames: tuple[bytes, ...]


@dataclass(frozen=True)
class Outcome:
    kind: str
    action: ChallengeAction
    person: str
    passed: bool
    reason: str
    measures: LivenessMeasures | None = None


@dataclass(frozen=True)
class KindRate:
    """APCER (attacks: share accepted) or BPCER (genuine: share refused) of one kind."""

    kind: str
    genuine: bool
    attempts: int
    errors: int
    reasons: dict[str, int]

    @property
    def rate(self) -> float:
        return self.errors / self.attempts if self.attempts else float("nan")

    @property
    def metric(self) -> str:
        return "BPCER" if self.genuine else "APCER"

    @property
    def upper95(self) -> float:
        """The rate's 95 % upper bound (:func:`upper_bound_95`)."""
        return upper_bound_95(self.errors, self.attempts)


def upper_bound_95(errors: int, attempts: int) -> float:
    """Upper end of the two-sided 95 % Clopper-Pearson interval of ``errors / attempts``:
    the rate ``p`` at which ``errors`` or fewer would be seen 2.5 % of the time (0 / 60
    gives 6.0 %, 1 / 180 gives 3.1 %; NaN without attempts)."""
    if attempts <= 0:
        return float("nan")
    if errors >= attempts:
        return 1.0

    def at_most(p: float) -> float:
        return sum(
            math.comb(attempts, i) * p**i * (1.0 - p) ** (attempts - i) for i in range(errors + 1)
        )

    low, high = errors / attempts, 1.0
    for _ in range(60):  # bisection: at_most falls as p grows
        mid = (low + high) / 2.0
        low, high = (mid, high) if at_most(mid) > 0.025 else (low, mid)
    return high


@dataclass(frozen=True)
class LivenessEvalReport:
    people: int
    photos: int
    thresholds: LivenessThresholds
    rates: list[KindRate]
    outcomes: list[Outcome] = field(repr=False)


def _encode(image: Image, quality: int = 92) -> bytes:
    ok, buffer = cv2.imencode(
        ".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality]
    )
    if not ok:  # pragma: no cover - OpenCV always encodes a valid RGB array
        raise HadirError("cannot encode a frame")
    return bytes(buffer.tobytes())


def _noised(image: Image, rng: np.random.Generator, sigma: float = 2.0) -> Image:
    noisy = image.astype(np.float64) + rng.normal(0.0, sigma, image.shape)
    return np.clip(np.rint(noisy), 0, 255).astype(np.uint8)


def load_photos(
    engine: FaceEngine,
    faces_dir: Path,
    *,
    people: int | None = None,
    skip: int = 0,
    per_person: int = 12,
    half: str | None = None,
    progress: Progress | None = None,
) -> dict[str, list[DevPhoto]]:
    """Photos that pass the single-photo check (at most ``per_person`` tried), of people
    with at least four of them, by folder name, after the first ``skip`` such folders
    (of :func:`in_half` ``half`` only, if given)."""
    folders = sorted(
        p
        for p in faces_dir.iterdir()
        if p.is_dir() and len(list(p.glob("*.jpg"))) >= 4 and in_half(p.name, half)
    )[skip:]
    found: dict[str, list[DevPhoto]] = {}
    for folder in folders:
        if people is not None and len(found) >= people:
            break
        photos = []
        for path in sorted(folder.glob("*.jpg"))[:per_person]:
            data = path.read_bytes()
            try:
                analysis = engine.analyse(data, Purpose.VERIFY)
            except HadirError:
                continue
            photos.append(
                DevPhoto(
                    folder.name,
                    path,
                    data,
                    analysis.quality.yaw,
                    analysis.embedding,
                    analysis.detection.landmarks,
                )
            )
        if len(photos) >= 4:
            found[folder.name] = photos
            if progress is not None:
                progress(f"{folder.name}: {len(photos)} photos")
    return found


HALVES = ("a", "b")


def in_half(person: str, half: str | None) -> bool:
    """A stable split of the people by name (the first byte of its SHA-256): tune on
    half ``a``, report on half ``b`` (``None``: everyone)."""
    if half is None:
        return True
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}")
    return HALVES[hashlib.sha256(person.encode("utf-8")).digest()[0] % 2] == half


def build_attempts(
    photos: dict[str, list[DevPhoto]], seed: int = 0
) -> tuple[list[Attempt], dict[str, Embedding]]:
    """The face attempts (genuine and attacks) and each person's held-out template."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    folds_rng = random.Random(f"warp_folds-{seed}")
    attempts: list[Attempt] = []
    templates: dict[str, Embedding] = {}
    everyone = sorted(photos)
    for person in everyone:
        ranked = sorted(photos[person], key=lambda p: abs(p.yaw))
        enrol, start, rest = ranked[0], ranked[1], ranked[2:]
        templates[person] = enrol.embedding
        still = decode_image(start.data)
        left = max(rest, key=lambda p: p.yaw)
        right = min(rest, key=lambda p: p.yaw)
        turn_frames: tuple[bytes, ...] | None = None
        if left.yaw >= GENUINE_MIN_SIDE_YAW and right.yaw <= -GENUINE_MIN_SIDE_YAW:
            middle = [p for p in rest if p not in (left, right) and abs(p.yaw) < left.yaw]
            sequence = [start, left, *middle[:1], right]
            turn_frames = tuple(p.data for p in sequence)
            attempts.append(
                Attempt("genuine_turn", ChallengeAction.TURN_LEFT_RIGHT, person, turn_frames)
            )
            others = [p for other in everyone if other != person for p in photos[other]]
            if others:
                stranger = min(others, key=lambda p: abs(p.yaw - left.yaw) + rng.random())
                swapped = (start.data, stranger.data, *turn_frames[2:])
                attempts.append(
                    Attempt("swapped_person", ChallengeAction.TURN_LEFT_RIGHT, person, swapped)
                )
        zooms = (1.0, 1.12, 1.25, 1.4)
        closer = tuple(_encode(zoom_crop(still, z)) for z in zooms)
        attempts.append(Attempt("genuine_closer", ChallengeAction.COME_CLOSER, person, closer))
        for action in ChallengeAction:
            qualities = (95, 90, 85, 80)
            noised = tuple(_encode(_noised(still, noise), q) for q in qualities)
            encoded = tuple(_encode(still, q) for q in qualities)
            for frames in ((start.data,) * 4, encoded, noised):
                attempts.append(Attempt("still_repeated", action, person, frames))
        for sign in (1.0, -1.0):
            angle = rng.choice((20.0, 25.0, 30.0, 35.0))
            distance = rng.choice((0.7, 1.0, 1.5, 2.5))
            yaws = (0.0, sign * angle, 0.0, -sign * angle)
            sheets = tuple(
                _encode(warp_sheet(still, yaw=y, pitch=rng.uniform(-5, 5), distance=distance))
                for y in yaws
            )
            attempts.append(Attempt("flat_turn", ChallengeAction.TURN_LEFT_RIGHT, person, sheets))
        for kind, bent in turn_bursts(still, start.landmarks, noise).items():
            # warp_folds came later: its own draws keep a seed's other attempts as before
            pick = folds_rng if kind == "warp_folds" else rng
            burst = tuple(_encode(f, pick.choice((85, 90, 95))) for f in bent)
            attempts.append(Attempt(kind, ChallengeAction.TURN_LEFT_RIGHT, person, burst))
        tilt = rng.uniform(-10, 10)
        brought = tuple(_encode(warp_sheet(still, yaw=tilt, distance=1.5, zoom=z)) for z in zooms)
        attempts.append(Attempt("flat_closer", ChallengeAction.COME_CLOSER, person, brought))
    return attempts, templates


def judge_attempt(
    engine: FaceEngine,
    attempt: Attempt,
    template: Embedding,
    thresholds: LivenessThresholds,
    cache: dict[bytes, tuple[FaceAnalysis, FrameObservation] | HadirError],
) -> Outcome:
    """Analyse every frame, check its identity against ``template``, judge the motion."""
    observations: list[FrameObservation] = []
    for data in attempt.frames:
        key = hashlib.sha256(data).digest()
        if key not in cache:
            try:
                cache[key] = observe(engine, data)
            except HadirError as exc:
                cache[key] = exc
        seen = cache[key]
        if isinstance(seen, HadirError):
            return Outcome(attempt.kind, attempt.action, attempt.person, False, seen.code.value)
        analysis, observation = seen
        same = verify(analysis.embedding, [template], engine.thresholds).decision
        observations.append(replace(observation, same_person=same is not MatchDecision.REJECT))
    if not any(o.same_person for o in observations):
        return Outcome(attempt.kind, attempt.action, attempt.person, False, "face_mismatch")
    verdict = judge(attempt.action, observations, thresholds)
    reason = "accepted" if verdict.passed else str(verdict.reason)
    return Outcome(
        attempt.kind, attempt.action, attempt.person, verdict.passed, reason, verdict.measures
    )


def token_attacks(
    uow_factory: UowFactory, secret: bytes, count: int, seed: int = 0
) -> list[Outcome]:
    """Used, expired and altered challenges against the real token and nonce store."""
    rng = random.Random(seed)
    now = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
    outcomes: list[Outcome] = []
    for i in range(count):
        issued = issue_challenge(secret, AttendanceKind.CHECK_IN, f"eval-{i}", now, rng)
        consume_challenge(uow_factory, open_challenge(secret, issued.token, now))  # first use
        later = now + timedelta(seconds=20)
        trials: list[tuple[str, str, datetime]] = [
            ("reused_challenge", issued.token, later),
            ("expired_challenge", issued.token, now + timedelta(seconds=61)),
            ("altered_challenge", _altered(issued.token), later),
        ]
        for kind, token, at in trials:
            try:
                consume_challenge(uow_factory, open_challenge(secret, token, at))
            except HadirError as exc:
                reason = str(exc.details.get("reason", exc.code.value))
                outcomes.append(Outcome(kind, issued.action, f"eval-{i}", False, reason))
            else:
                outcomes.append(Outcome(kind, issued.action, f"eval-{i}", True, "accepted"))
    return outcomes


def _altered(token: str) -> str:
    """The token with its action swapped (the signature left as it was)."""
    body, _, signature = token.partition(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    actions = [a.value for a in ChallengeAction]
    payload["a"] = actions[(actions.index(payload["a"]) + 1) % len(actions)]
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") + "." + signature


def rates(outcomes: Sequence[Outcome]) -> list[KindRate]:
    rows = []
    for kind in (*GENUINE_KINDS, *ATTACK_KINDS):
        mine = [o for o in outcomes if o.kind == kind]
        if not mine:
            continue
        genuine = kind in GENUINE_KINDS
        errors = sum(1 for o in mine if o.passed != genuine)
        rows.append(
            KindRate(kind, genuine, len(mine), errors, dict(Counter(o.reason for o in mine)))
        )
    return rows


def evaluate_liveness(
    engine: FaceEngine,
    faces_dir: Path,
    uow_factory: UowFactory,
    *,
    people: int | None = None,
    skip: int = 0,
    half: str | None = None,
    kinds: Sequence[str] | None = None,
    thresholds: LivenessThresholds | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> LivenessEvalReport:
    """``kinds``: only these attempt kinds (genuine or attack; token attacks when one of
    them is named), to keep a run short."""
    limits = thresholds or LivenessThresholds()
    photos = load_photos(engine, faces_dir, people=people, skip=skip, half=half, progress=progress)
    attempts, templates = build_attempts(photos, seed)
    if kinds is not None:
        attempts = [a for a in attempts if a.kind in kinds]
    cache: dict[bytes, tuple[FaceAnalysis, FrameObservation] | HadirError] = {}
    outcomes = []
    for number, attempt in enumerate(attempts, start=1):
        outcomes.append(judge_attempt(engine, attempt, templates[attempt.person], limits, cache))
        if progress is not None and number % 50 == 0:
            progress(f"{number}/{len(attempts)} sequences")
    secret = hashlib.sha256(f"liveness-eval-{seed}".encode()).digest()
    tokens = token_attacks(uow_factory, secret, max(1, len(photos)), seed)
    outcomes.extend(o for o in tokens if kinds is None or o.kind in kinds)
    return LivenessEvalReport(
        people=len(photos),
        photos=sum(len(v) for v in photos.values()),
        thresholds=limits,
        rates=rates(outcomes),
        outcomes=outcomes,
    )
