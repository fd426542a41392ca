"""``hadir liveness-eval`` on a few dev people: the real command in a subprocess, and the
evaluation itself with the session's engine."""

from __future__ import annotations

import json
import math
from pathlib import Path

from cli.test_commands import Run, data_dir, run  # noqa: F401 - fixtures
from hadir.face.photowarp import WARP_KINDS
from hadir.face.pipeline import FaceEngine
from hadir.offline.liveness_eval import (
    ATTACK_KINDS,
    GENUINE_KINDS,
    evaluate_liveness,
    upper_bound_95,
)
from hadir.store.db import make_engine, migrate
from services.conftest import factory_for


def test_liveness_eval_command(run: Run) -> None:  # noqa: F811
    done = run("liveness-eval", "--people", "2", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["people"] == 2
    rows = {r["kind"]: r for r in report["rates"]}
    assert rows["genuine_closer"]["metric"] == "BPCER"
    assert rows["still_repeated"]["metric"] == "APCER"
    for kind in ("reused_challenge", "expired_challenge", "altered_challenge"):
        assert rows[kind] | {"reasons": None} == {
            "kind": kind,
            "metric": "APCER",
            "attempts": 2,
            "errors": 0,
            "rate": 0.0,
            "upper95": 0.8419,  # 0 / 2: two attempts bound the rate below 84 %
            "reasons": None,
        }
    text = run("liveness-eval", "--people", "1")
    assert text.returncode == 0, text.stderr
    assert "APCER" in text.stdout and "flat_turn" in text.stdout


def test_evaluation_refuses_stills_and_token_attacks(
    engine: FaceEngine, faces: Path, tmp_path: Path
) -> None:
    db = make_engine(f"sqlite:///{tmp_path / 'nonces.sqlite3'}")
    migrate(db)
    try:
        report = evaluate_liveness(engine, faces, factory_for(db), people=3)
    finally:
        db.dispose()
    rows = {r.kind: r for r in report.rates}
    assert set(rows) <= set(GENUINE_KINDS) | set(ATTACK_KINDS)
    assert rows["still_repeated"].attempts == 3 * 2 * 3
    assert rows["still_repeated"].errors == 0
    assert rows["reused_challenge"].reasons == {"challenge_reused": 3}
    assert rows["expired_challenge"].reasons == {"challenge_expired": 3}
    assert rows["altered_challenge"].reasons == {"invalid_challenge": 3}
    for kind in WARP_KINDS:  # one photo bent so that its landmarks turn (issue 13)
        assert rows[kind].attempts == 3, kind
        assert rows[kind].errors == 0, (kind, rows[kind].reasons)
    assert rows["warp_nose"].reasons.get("same_texture", 0) >= 1
    # "come closer" cannot tell a photo brought closer from a face: both pass
    assert rows["flat_closer"].errors >= 1
    assert rows["genuine_closer"].errors == 0


def test_upper_bound_95_is_the_clopper_pearson_bound() -> None:
    """What "0 / 60" means: the rate could still be about 6 % (two-sided 95 %)."""
    for attempts in (2, 31, 60, 180):  # no error: 1 - 0.025 ** (1 / n) exactly
        expected = 1.0 - 0.025 ** (1.0 / attempts)
        assert abs(upper_bound_95(0, attempts) - expected) < 1e-9
    assert abs(upper_bound_95(1, 180) - 0.0306) < 1e-4  # the binomial tail at 2.5 %
    assert upper_bound_95(0, 60) < upper_bound_95(1, 60) < upper_bound_95(2, 60)
    assert upper_bound_95(5, 5) == 1.0
    assert math.isnan(upper_bound_95(0, 0))
