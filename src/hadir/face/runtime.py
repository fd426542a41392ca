"""onnxruntime sessions built deliberately: thread counts chosen, spinning off.

Several sessions share two cores; with the default busy-wait spinning they slow each
other down 2-3x, so every session of Hadir is built here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def make_session(model: Path | bytes, *, threads: int = 2, fold_qdq: bool = False) -> Any:
    """An ``onnxruntime.InferenceSession`` on the CPU with ``threads`` intra-op threads.

    ``fold_qdq``: for a quantised (QDQ) model, fold the quantise/dequantise pairs away and
    run the float kernels on the dequantised weights (``session.disable_quant_qdq``):
    faster on CPUs where the int8 path does not pay, and the same weights.
    """
    import onnxruntime as ort  # heavy: imported on use only

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    options.log_severity_level = 3
    if fold_qdq:
        options.add_session_config_entry("session.disable_quant_qdq", "1")
    source = str(model) if isinstance(model, Path) else model
    return ort.InferenceSession(source, sess_options=options, providers=["CPUExecutionProvider"])
