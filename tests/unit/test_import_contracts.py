"""The layering contracts (``[tool.importlinter]`` in pyproject.toml) hold, and they are
not vacuous: a copy of the tree with one forbidden import fails them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT), "--no-cache", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "src" / "hadir",
        tmp_path / "src" / "hadir",
        ignore=shutil.ignore_patterns("__pycache__", "data", "static", "templates"),
    )
    return tmp_path


def test_the_tree_keeps_the_contracts() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("module", "violation", "contract"),
    [
        ("domain/errors.py", "import hadir.face.types", "domain imports nothing"),
        ("services/staff.py", "import hadir.store.uow", "services import neither"),
        ("web/render.py", "import hadir.api.deps", "api and web do not import each other"),
        ("api/routes/health.py", "import hadir.bootstrap", "the request path imports"),
    ],
)
def test_a_forbidden_import_breaks_the_contracts(
    tree: Path, module: str, violation: str, contract: str
) -> None:
    path = tree / "src" / "hadir" / module
    path.write_text(path.read_text() + f"\n{violation}  # deliberate violation\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout
