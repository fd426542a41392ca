"""Liveness challenges: a motion to perform, signed into a compact single-use token.

:func:`issue_challenge` picks a motion (turn the head left then right, or come closer)
and signs a token (HMAC-SHA256 over JSON: nonce, action, kind, employee NIP or null,
expiry; base64url), valid :data:`CHALLENGE_TTL`. :func:`open_challenge` checks the
signature and expiry; :func:`consume_challenge` burns the nonce (``uow.nonces``: a
second use is ``challenge_reused``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hadir.domain.attendance import AttendanceKind
from hadir.domain.errors import ConflictError, ErrorCode, HadirError
from hadir.face.liveness import ChallengeAction
from hadir.services.ports import UowFactory

CHALLENGE_TTL = timedelta(seconds=60)
NONCE_PURPOSE = "liveness"
FRAME_INTERVAL_MS = 300


@dataclass(frozen=True)
class Challenge:
    """An issued challenge; ``token`` is what the client sends back."""

    token: str
    nonce: str
    action: ChallengeAction
    kind: AttendanceKind
    employee_id: str | None
    """NIP, or ``None`` for a kiosk identifying."""
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: bytes, body: str) -> str:
    return _b64(hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest())


DEFAULT_ACTIONS: tuple[ChallengeAction, ...] = (ChallengeAction.TURN_LEFT_RIGHT,)
"""Only the head turn by default: "come closer" lets a photo brought closer through
(APCER 0.95 on the dev faces, docs/security.md (Liveness)); offices may still enable it."""


def issue_challenge(
    secret: bytes,
    kind: AttendanceKind | str,
    employee_id: str | None,
    now: datetime,
    rng: random.Random | None = None,
    *,
    action: ChallengeAction | None = None,
    actions: Sequence[ChallengeAction] = DEFAULT_ACTIONS,
) -> Challenge:
    """A new challenge for ``kind`` by ``employee_id`` (NIP, or ``None`` at a kiosk).
    ``rng`` picks the action among ``actions`` and the nonce (default: the system's
    secure source)."""
    source = rng or secrets.SystemRandom()
    chosen = action or source.choice(list(actions) or list(DEFAULT_ACTIONS))
    nonce = _b64(source.getrandbits(128).to_bytes(16, "big"))
    expires_at = (now + CHALLENGE_TTL).astimezone(UTC).replace(microsecond=0)
    payload = {
        "n": nonce,
        "a": chosen.value,
        "k": AttendanceKind(kind).value,
        "e": employee_id,
        "x": int(expires_at.timestamp()),
    }
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    return Challenge(
        token=f"{body}.{_sign(secret, body)}",
        nonce=nonce,
        action=chosen,
        kind=AttendanceKind(kind),
        employee_id=employee_id,
        expires_at=expires_at,
    )


def _invalid() -> HadirError:
    return HadirError(
        "The challenge is not valid; ask for a new one.",
        code=ErrorCode.LIVENESS_FAILED,
        reason="invalid_challenge",
    )


def open_challenge(secret: bytes, token: str, now: datetime) -> Challenge:
    """The challenge in ``token`` if its signature holds and it has not expired
    (``liveness_failed``/``invalid_challenge`` or ``challenge_expired`` otherwise)."""
    body, _, signature = (token or "").strip().partition(".")
    if not body or not signature or not hmac.compare_digest(_sign(secret, body), signature):
        raise _invalid()
    try:
        payload = json.loads(_unb64(body))
        challenge = Challenge(
            token=token,
            nonce=str(payload["n"]),
            action=ChallengeAction(payload["a"]),
            kind=AttendanceKind(payload["k"]),
            employee_id=None if payload["e"] is None else str(payload["e"]),
            expires_at=datetime.fromtimestamp(int(payload["x"]), UTC),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise _invalid() from exc
    if now >= challenge.expires_at:
        raise HadirError(
            "The challenge has expired; start again.",
            code=ErrorCode.CHALLENGE_EXPIRED,
            expired_at=challenge.expires_at.isoformat(),
        )
    return challenge


def consume_challenge(uow_factory: UowFactory, challenge: Challenge) -> None:
    """Burn the challenge's nonce; ``challenge_reused`` if it was used before."""
    digest = hashlib.sha256(challenge.nonce.encode("ascii")).hexdigest()
    try:
        with uow_factory() as uow:
            uow.nonces.consume(digest, NONCE_PURPOSE, challenge.expires_at)
            uow.commit()
    except ConflictError as exc:
        raise HadirError(
            "This challenge was already used; ask for a new one.",
            code=ErrorCode.CHALLENGE_REUSED,
        ) from exc
