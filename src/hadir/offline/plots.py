"""ROC curves as PNG (matplotlib, no display)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt

from hadir.face import metrics


def save_roc(
    curves: Mapping[str, tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]], path: Path
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.5), dpi=110)
    for label, (scores, same) in curves.items():
        far, tar = metrics.roc_curve(scores, same)
        keep = far > 0
        ax.plot(far[keep], tar[keep], label=f"{label} (AUC {metrics.auc(scores, same):.4f})")
    ax.set_xscale("log")
    ax.set_xlim(1e-4, 1)
    ax.set_ylim(0.8, 1.0)
    ax.set_xlabel("false accept rate")
    ax.set_ylabel("true accept rate")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
