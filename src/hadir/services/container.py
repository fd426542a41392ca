"""What one process runs with, built once by the composition root (``hadir.bootstrap``).

The HTTP app, the pages and the CLI receive a ``Container``; nothing reaches for a piece
of it through a global or falls back to a default at request time. Every field is
required: a missing piece fails when the container is built, at start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from hadir.domain.attendance import DisciplineRules, LeavePolicy
from hadir.face.calibration import Calibration
from hadir.face.liveness import ChallengeAction, LivenessThresholds
from hadir.face.pipeline import FaceEngine
from hadir.services.auth import SignInPolicy
from hadir.services.checkguard import CheckPolicy
from hadir.services.dashboard import PastDays
from hadir.services.evidence import EvidenceVault
from hadir.services.index import TemplateIndexProvider
from hadir.services.ports import Clock, UowFactory
from hadir.services.printing import Letterhead
from hadir.services.ratelimit import RateLimiter
from hadir.settings import Settings


class Database(Protocol):
    """A database the use cases can open units of work on (``hadir.store`` provides it)."""

    @property
    def uow_factory(self) -> UowFactory: ...
    def dispose(self) -> None: ...


@dataclass(frozen=True)
class Security:
    """The security objects of one process. Rate limiters are in-process token buckets,
    so with several servers or workers the limits are per process."""

    check: CheckPolicy
    sign_in: SignInPolicy
    checkin_ip: RateLimiter | None
    checkin_token: RateLimiter | None
    signin_ip: RateLimiter | None
    signin_username: RateLimiter | None
    evidence: EvidenceVault | None


@dataclass(frozen=True)
class Liveness:
    """The active-liveness challenge: the actions to draw from, the frame limits and what
    each action asks of the person, per language (``{"id": ..., "en": ...}``, from the
    page catalogue: the composition root wires it)."""

    actions: tuple[ChallengeAction, ...]
    limits: LivenessThresholds
    prompts: Mapping[ChallengeAction, Mapping[str, str]]


@dataclass(frozen=True)
class Container:
    settings: Settings
    database: Database
    face_engine: FaceEngine
    index: TemplateIndexProvider
    calibrations: Mapping[str, Calibration]
    """The shipped calibrations by preprocessing tag, read once."""
    secret_key: bytes
    security: Security
    liveness: Liveness
    leave: LeavePolicy
    discipline: DisciplineRules
    """TL/PSW bands and TPP percentages of the reports."""
    letterhead: Letterhead
    """Agency, place and signers of printed reports."""
    clock: Clock
    past_days: PastDays
    """The dashboard's counts of the days before today, kept a few minutes."""
