"""A compact, non-reversible fingerprint of the aligned face, to recognise an edited copy
of an earlier check-in photo (issue 13, finding 6).

The whole-image pHash (:mod:`hadir.face.phash`) moves many bits when a copy is cropped,
bordered, rotated or mirrored: the face sits elsewhere in the frame. Here the face is
first aligned on its five landmarks (the similarity to the ArcFace layout, a 128-pixel
crop with some context), so those edits leave the crop nearly as it was, and only then
hashed: 64 bits (the 8x8 lowest DCT frequencies against their median). A mirrored copy
is the mirrored crop, so the probe is compared both ways and the nearer counts.

64 bits of the face's coarsest shading cannot give the face back, and say little about
who it is; they are stored per check-in event only as long as its evidence would be
(``docs/security.md``, "Replay").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hadir.face.align import scaled_template, similarity_align
from hadir.face.phash import hamming, phash
from hadir.face.types import Image

FINGERPRINT_SIDE = 128
FINGERPRINT_ZOOM = 0.8


@dataclass(frozen=True)
class FaceFingerprint:
    """The aligned face's hash, and its mirror's (16 hex digits each)."""

    value: str
    mirrored: str

    def distance(self, stored: str) -> int:
        """Bits between ``stored`` (an earlier :attr:`value`) and this face, either way."""
        return min(hamming(self.value, stored), hamming(self.mirrored, stored))


def face_fingerprint(image: Image, landmarks: npt.NDArray[np.floating]) -> FaceFingerprint:
    """The fingerprint of the face at ``landmarks`` (five points, image pixels) in
    ``image`` (RGB)."""
    template = scaled_template(FINGERPRINT_SIDE, zoom=FINGERPRINT_ZOOM)
    aligned = similarity_align(image, landmarks, size=FINGERPRINT_SIDE, template=template)
    return FaceFingerprint(phash(aligned), phash(np.ascontiguousarray(aligned[:, ::-1])))
