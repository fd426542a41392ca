"""Nothing heavy happens at import: no model runtime, no plotting, no server."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_entry_points_loads_no_heavy_module() -> None:
    code = (
        "import sys, hadir.api.app, hadir.cli.main, hadir.face.pipeline, "
        "hadir.services.evaluation, hadir.bootstrap\n"
        "heavy = ('onnxruntime', 'onnx', 'matplotlib', 'uvicorn')\n"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
