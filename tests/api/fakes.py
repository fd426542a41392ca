"""A fake face engine that runs the real image intake first (fuzzing through the API)."""

from __future__ import annotations

import hashlib

from hadir.face.intake import decode_image
from hadir.face.pipeline import FaceAnalysis, Purpose
from services.conftest import FakeFaceEngine, photo


class IntakeFakeEngine(FakeFaceEngine):
    """Real ``decode_image`` (so bad bytes fail as in production), then a fake "Sri";
    the fake's own spec bytes (``person=...``) still work, for enrolment."""

    def analyse(
        self, data: bytes, purpose: Purpose = Purpose.VERIFY, *, image: object = None
    ) -> FaceAnalysis:
        if data.startswith(b"person="):
            return super().analyse(data, purpose)
        decode_image(data)
        seed = int.from_bytes(hashlib.sha256(data).digest()[:2], "little")
        return super().analyse(photo("sri", seed=seed), purpose)
