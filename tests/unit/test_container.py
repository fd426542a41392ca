"""The composition root builds every piece once, at start, and a missing piece fails
there (never later, at request time, with a default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hadir.bootstrap import build_container
from hadir.server import create_app
from hadir.settings import Settings
from services.conftest import FakeFaceEngine


def test_a_bad_secret_key_fails_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 16"):
        build_container(
            Settings(data_dir=tmp_path, secret_key="short"), face_engine=FakeFaceEngine()
        )  # type: ignore[arg-type]


def test_the_app_runs_on_the_container_it_was_given(tmp_path: Path) -> None:
    container = build_container(
        Settings(data_dir=tmp_path, liveness_actions=["come_closer"]),
        face_engine=FakeFaceEngine(),  # type: ignore[arg-type]
    )
    try:
        app = create_app(container)
        assert app.state.container is container
        assert [a.value for a in container.liveness.actions] == ["come_closer"]
        assert container.security.check.employee_limiter is not None
        assert container.face_engine.identify_thresholds is not None
    finally:
        container.database.dispose()
