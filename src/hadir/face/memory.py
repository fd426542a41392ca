"""Giving freed memory back to the operating system after a large decode.

glibc keeps freed blocks below its (growing) mmap threshold in the heap; Pillow allocates
images in 16 MB blocks, so after one large photo the process would stay that much bigger.
``malloc_trim(0)`` returns the free pages. Elsewhere (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

TRIM_AFTER_BYTES = 16 << 20
"""Decodes that held at least this much (one Pillow block) are followed by a trim."""


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim  # noqa: B018 - glibc only
    except (OSError, AttributeError):
        return None
    return libc


def trim() -> bool:
    """Return free heap pages to the OS; ``True`` when glibc released something."""
    libc = _libc()
    return bool(libc is not None and libc.malloc_trim(0))
