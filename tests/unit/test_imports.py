"""Nothing heavy happens at import: no model runtime, no plotting, no server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hadir.bootstrap import load_secret_key
from hadir.settings import Settings


def test_importing_the_entry_points_loads_no_heavy_module() -> None:
    code = (
        "import sys, hadir.api.app, hadir.cli.main, hadir.face.pipeline, "
        "hadir.offline.evaluation, hadir.bootstrap\n"
        "heavy = ('onnxruntime', 'onnx', 'matplotlib', 'uvicorn')\n"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_secret_key_is_created_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    key = load_secret_key(settings)
    assert len(key) >= 32
    assert load_secret_key(settings) == key
    assert (tmp_path / "data" / "secret.key").stat().st_mode & 0o077 == 0
    given = Settings(data_dir=tmp_path, secret_key="a-shared-key-for-every-server")
    assert load_secret_key(given) == b"a-shared-key-for-every-server"
    with pytest.raises(ValueError, match="at least 16"):
        load_secret_key(Settings(data_dir=tmp_path, secret_key="short"))


def test_the_server_does_not_import_the_offline_tooling() -> None:
    code = (
        "import sys, hadir.api.app, hadir.web.app, hadir.bootstrap, hadir.cli.main\n"
        "print(','.join(m for m in sys.modules if m.startswith('hadir.offline')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
