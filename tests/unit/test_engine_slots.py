"""The engine runs at most ``EngineConfig.concurrency`` analyses at once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

import numpy as np
import pytest

from fakes import FakeEmbedder
from hadir.domain.errors import HadirError
from hadir.face.matching import Thresholds
from hadir.face.pipeline import EngineConfig, FaceEngine
from hadir.face.types import Detection, Image


class CountingDetector:
    """One centred face per image; records how many calls overlap."""

    def __init__(self) -> None:
        self.active = 0
        self.most = 0
        self._lock = threading.Lock()

    def detect(self, image: Image, *, min_face_size: int = 20) -> list[Detection]:
        with self._lock:
            self.active += 1
            self.most = max(self.most, self.active)
        time.sleep(0.02)
        with self._lock:
            self.active -= 1
        h, w = image.shape[:2]
        box = (w * 0.3, h * 0.2, w * 0.7, h * 0.8)
        unit = np.array([[0.3, 0.4], [0.7, 0.4], [0.5, 0.6], [0.35, 0.8], [0.65, 0.8]])
        points = np.array(box[:2]) + unit * np.array([box[2] - box[0], box[3] - box[1]])
        return [Detection(box=box, score=0.99, landmarks=points.astype(np.float32))]


@pytest.mark.parametrize("slots", [1, 2])
def test_analyses_wait_for_a_free_slot(slots: int) -> None:
    detector = CountingDetector()
    engine = FaceEngine(
        detector, FakeEmbedder(), Thresholds(0.5, 0.4), EngineConfig(concurrency=slots)
    )
    rng = np.random.default_rng(3)
    images = [rng.integers(0, 255, (240, 200, 3), dtype=np.uint8) for _ in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:

        def analyse(image: Image) -> None:
            with suppress(HadirError):  # quality gates may refuse noise: only overlap matters
                engine.analyse_image(image)

        list(pool.map(analyse, images))
    assert detector.most == slots
