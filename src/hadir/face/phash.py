"""Perceptual hash of a photo, to recognise the same picture sent again.

A 64-bit DCT hash (pHash): the image in grey, shrunk to 32×32, its 2-D DCT, the 8×8 lowest
frequencies compared with their median. Re-encoding, a slight resize or a brightness change
move a few bits; another photograph, even of the same person in the same pose, moves many.
``hamming`` counts the differing bits; the threshold lives with the caller
(``hadir.services.replay``).
"""

from __future__ import annotations

import cv2
import numpy as np

from hadir.face.types import Image

PHASH_BITS = 64
_SIDE = 32
_LOW = 8


def phash(image: Image) -> str:
    """The 64-bit pHash of an RGB uint8 image, as 16 lowercase hex digits."""
    grey = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY)
    small = cv2.resize(grey, (_SIDE, _SIDE), interpolation=cv2.INTER_AREA).astype(np.float32)
    low = cv2.dct(small)[:_LOW, :_LOW].flatten()
    median = float(np.median(low[1:]))
    bits = low > median
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return f"{value:016x}"


def hamming(left: str, right: str) -> int:
    """How many of the 64 bits differ between two hashes from ``phash``."""
    return (int(left, 16) ^ int(right, 16)).bit_count()
