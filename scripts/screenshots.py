"""Regenerate docs/screenshots/*.png: runs the browser flow test (real server, real face
engine, Debian's Chromium with a fake camera) with HADIR_SCREENSHOTS pointing there.

    HADIR_FACES_DIR=... .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    out = ROOT / "docs" / "screenshots"
    env = {**os.environ, "HADIR_SCREENSHOTS": str(out)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/browser"]
    code = subprocess.call(command, cwd=ROOT, env=env)
    if code == 0:
        for path in sorted(out.glob("*.png")):
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KiB")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
