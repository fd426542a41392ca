"""The real server (uvicorn in a thread, real face engine, SQLite in tmp_path) and Debian's
Chromium driven by Playwright, with a fake camera that shows a dev face photo."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from hadir.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
ADMIN, ADMIN_PASSWORD = "admin", "rahasia-kantor"
MONDAY_0820_WIB = datetime(2025, 3, 3, 1, 20, tzinfo=UTC)
"""Monday 3 March 2025, 08:20 WIB: a check-in now is 20 minutes late."""


def write_y4m(photo: Path, out: Path, *, width: int = 640, height: int = 480) -> Path:
    """A YUV4MPEG2 (C420) clip of a few identical frames: ``photo`` scaled to fit and
    centred on grey, for Chromium's ``--use-file-for-fake-video-capture``."""
    image = cv2.imread(str(photo), cv2.IMREAD_COLOR)
    assert image is not None, photo
    scale = min(width / image.shape[1], height / image.shape[0])
    resized = cv2.resize(image, (round(image.shape[1] * scale), round(image.shape[0] * scale)))
    canvas = np.full((height, width, 3), 128, np.uint8)
    top, left = (height - resized.shape[0]) // 2, (width - resized.shape[1]) // 2
    canvas[top : top + resized.shape[0], left : left + resized.shape[1]] = resized
    frame = cv2.cvtColor(canvas, cv2.COLOR_BGR2YUV_I420).tobytes()
    with out.open("wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420\n".encode())
        for _ in range(5):
            f.write(b"FRAME\n" + frame)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    base: str
    app: object


@pytest.fixture
def served(tmp_path: Path, engine: object, request: pytest.FixtureRequest) -> Iterator[Served]:
    """``create_app`` under uvicorn on a free port; the clock is fixed (Monday 08:20 WIB)
    and an admin account exists. Parametrise indirectly with a dict to add settings."""
    import uvicorn

    from hadir.bootstrap import build_container
    from hadir.server import create_app
    from hadir.services.auth import create_user
    from hadir.services.records import Role

    data = tmp_path / "data"
    container = build_container(
        Settings(data_dir=data, **getattr(request, "param", {})),
        face_engine=engine,  # type: ignore[arg-type]
        clock=lambda: MONDAY_0820_WIB,
    )
    app = create_app(container)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    with container.database.uow_factory() as uow:
        create_user(uow, ADMIN, ADMIN_PASSWORD, Role.ADMIN)
        uow.commit()
    try:
        yield Served(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


Launcher = Callable[[Path], object]


@pytest.fixture
def chromium() -> Iterator[Launcher]:
    """Launches Debian's Chromium with a fake camera showing a given photo."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must have /usr/bin/chromium: .ci/run installs it", pytrace=False)
        pytest.skip(
            "Debian's Chromium is not installed at /usr/bin/chromium "
            "(apt-get install chromium; .ci/run installs it)"
        )
    from playwright.sync_api import sync_playwright

    browsers: list[object] = []
    with sync_playwright() as playwright:

        def launch(video: Path) -> object:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--use-fake-device-for-media-stream",
                    "--use-fake-ui-for-media-stream",
                    f"--use-file-for-fake-video-capture={video}",
                ],
            )
            browsers.append(browser)
            return browser

        try:
            yield launch
        finally:
            for browser in browsers:
                browser.close()  # type: ignore[attr-defined]


@pytest.fixture
def shots(tmp_path: Path) -> Callable[[object, str], Path]:
    """Saves a full-page screenshot to tmp_path/screenshots (the artifacts) and, when
    ``HADIR_SCREENSHOTS`` names a folder (``scripts/screenshots.py``), there too. The
    camera preview and attempt photos are masked: no face photo ends up in a screenshot."""
    folder = tmp_path / "screenshots"
    folder.mkdir()
    extra = os.environ.get("HADIR_SCREENSHOTS")

    def take(page: object, name: str) -> Path:
        path = folder / f"{name}.png"
        hidden = "video, img.attempt-photo"  # hidden, not masked: a mask can slip
        toggle = "(v) => document.querySelectorAll('%s').forEach(e => e.style.visibility = v)"
        page.evaluate(toggle % hidden, "hidden")  # type: ignore[attr-defined]
        try:
            page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        finally:
            page.evaluate(toggle % hidden, "")  # type: ignore[attr-defined]
        if extra:
            Path(extra).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(extra) / path.name)
        return path

    return take
