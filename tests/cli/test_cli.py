"""The real ``hadir`` command in a subprocess, on real dev faces."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hadir.settings import Settings


def hadir(settings: Settings, faces: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HADIR_DATA_DIR": str(settings.data_dir),
        "HADIR_FACES_DIR": str(faces),
    }
    return subprocess.run(
        [sys.executable, "-m", "hadir.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_evaluate_on_dev_pairs_subset(settings: Settings, faces: Path, tmp_path: Path) -> None:
    rows = list(csv.DictReader((faces / "pairs.csv").open()))[:200]
    subset = tmp_path / "pairs.csv"
    with subset.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["left", "right", "same"])
        writer.writeheader()
        writer.writerows(rows)
    roc = tmp_path / "roc.png"
    result = hadir(
        settings,
        faces,
        "evaluate",
        "--pairs",
        str(subset),
        "--root",
        str(faces),
        "--json",
        "--roc",
        str(roc),
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for key in (
        "pairs",
        "accuracy",
        "tar_at_far_1e-3",
        "tar_at_far_1e-2",
        "eer",
        "auc",
        "failed_images",
        "images_per_second",
        "accept_threshold",
        "fmr_at_accept",
        "tar_at_accept",
        "review_threshold",
        "fmr_at_review",
        "tar_at_review",
    ):
        assert key in report
    assert report["review_threshold"] <= report["accept_threshold"]
    assert report["fmr_at_review"] >= report["fmr_at_accept"]
    assert report["tar_at_review"] >= report["tar_at_accept"]
    assert report["pairs"] == 200
    assert report["accuracy"] >= 0.97
    assert report["auc"] >= 0.99
    assert report["images_per_second"] > 0
    assert roc.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_shipped_threshold_holds_inside_the_asian_group(settings: Settings, faces: Path) -> None:
    """Issue 12: at the threshold the server ships, different people of one population
    (every pair among the 39 East/Southeast-Asian dev identities) match at most 1e-3 of
    the time, and the same people are still recognised. The dev people took part in the
    fit; docs/fairness.md gives the cross-fitted estimate for people who did not."""
    result = hadir(settings, faces, "evaluate", "--pairs", str(faces / "pairs_asian.csv"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["impostor_pairs"] == 15_268
    assert report["fmr_at_accept"] <= 1e-3
    assert report["tar_at_accept"] >= 0.97
    assert report["accept_threshold"] > report["review_threshold"]


def test_compare_same_and_different(settings: Settings, faces: Path) -> None:
    same = hadir(
        settings,
        faces,
        "compare",
        "--json",
        str(faces / "Serena_Williams/Serena_Williams_0001.jpg"),
        str(faces / "Serena_Williams/Serena_Williams_0004.jpg"),
    )
    assert same.returncode == 0, same.stderr
    assert json.loads(same.stdout)["decision"] == "accept"
    different = hadir(
        settings,
        faces,
        "compare",
        str(faces / "Serena_Williams/Serena_Williams_0001.jpg"),
        str(faces / "Ariel_Sharon/Ariel_Sharon_0001.jpg"),
    )
    assert different.returncode == 0, different.stderr
    assert "decision reject" in different.stdout


def test_embed_json_and_a_clear_error(settings: Settings, faces: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not a photo")
    result = hadir(
        settings,
        faces,
        "embed",
        "--json",
        str(faces / "Ariel_Sharon/Ariel_Sharon_0001.jpg"),
        str(junk),
    )
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines[0]["embedding"]) == 128
    assert lines[0]["contract"]["model_id"].startswith("sface-")
    assert lines[1]["error"] == "image_unreadable"


def test_bad_pairs_file_is_a_clear_error(settings: Settings, faces: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    result = hadir(settings, faces, "evaluate", "--pairs", str(bad))
    assert result.returncode == 2
    assert "missing column" in result.stderr


def test_init_creates_and_upgrades_the_database(faces: Path, tmp_path: Path) -> None:
    import sqlite3

    settings = Settings(data_dir=tmp_path / "data")
    env_settings = settings.model_copy()
    for _ in range(2):  # the second run is an upgrade with nothing to do
        result = hadir(env_settings, faces, "init")
        assert result.returncode == 0, result.stderr
        assert "migrated to head" in result.stdout
    db = sqlite3.connect(tmp_path / "data" / "hadir.sqlite3")
    tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    assert {"employees", "face_templates", "attendance_events"} <= tables
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
