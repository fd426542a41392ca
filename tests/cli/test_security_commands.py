"""``hadir audit verify`` (exit 1 naming the first altered entry), ``purge``,
``erase-biometrics`` and ``unlock``, as the real command against a fresh data directory."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cli.test_commands import Run, data_dir, query, run  # noqa: F401 - fixtures


def _sql(directory: Path, statement: str) -> None:
    with sqlite3.connect(directory / "hadir.sqlite3") as conn:
        conn.execute(statement)


def test_audit_verify_finds_a_tampered_row(run: Run, data_dir: Path) -> None:  # noqa: F811
    for name in ("lobby", "gate", "back-door"):
        made = run("token", "create", "--role", "kiosk", "--name", name)
        assert made.returncode == 0, made.stderr
    intact = run("audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert "intact (6 entries)" in intact.stdout  # a user and a token each
    listed = run("audit", "list", "--limit", "2")
    assert "token.issue" in listed.stdout
    ids = [row[0] for row in query(data_dir, "select id from audit_log order by id")]
    _sql(data_dir, f"update audit_log set actor = 'mallory' where id = {ids[3]}")
    broken = run("audit", "verify")
    assert broken.returncode == 1
    assert f"BROKEN at entry {ids[3]}" in broken.stderr


def test_deleted_audit_row_breaks_the_chain(run: Run, data_dir: Path) -> None:  # noqa: F811
    for name in ("lobby", "gate"):
        assert run("token", "create", "--role", "kiosk", "--name", name).returncode == 0
    ids = [row[0] for row in query(data_dir, "select id from audit_log order by id")]
    _sql(data_dir, f"delete from audit_log where id = {ids[1]}")
    broken = run("audit", "verify")
    assert broken.returncode == 1
    assert f"BROKEN at entry {ids[2]}" in broken.stderr


def test_truncation_is_reported_and_checkpoints_catch_a_rewritten_head(
    run: Run,  # noqa: F811
    data_dir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Issue 13, finding 5: deleting the newest entries was reported "intact"."""
    for name in ("lobby", "gate", "back-door"):
        assert run("token", "create", "--role", "kiosk", "--name", name).returncode == 0
    mark = tmp_path / "elsewhere" / "audit.json"
    mark.parent.mkdir()
    made = run("audit", "checkpoint", "--out", str(mark))
    assert made.returncode == 0, made.stderr
    assert run("audit", "verify", "--checkpoint", str(mark)).returncode == 0
    ids = [row[0] for row in query(data_dir, "select id from audit_log order by id")]
    _sql(data_dir, f"delete from audit_log where id = {ids[-1]}")
    broken = run("audit", "verify")
    assert broken.returncode == 1
    assert f"BROKEN at entry {ids[-1]}" in broken.stderr
    # the head row rewritten to match what is left: only the checkpoint can tell
    _sql(
        data_dir,
        f"update audit_head set entries = {len(ids) - 1}, head_id = {ids[-2]}, "
        f"head_hash = (select hash from audit_log where id = {ids[-2]})",
    )
    assert run("audit", "verify").returncode == 0
    caught = run("audit", "verify", "--checkpoint", str(mark))
    assert caught.returncode == 1
    assert "NOT INTACT" in caught.stderr


def test_purge_erase_and_unlock(run: Run, data_dir: Path) -> None:  # noqa: F811
    purged = run("purge")
    assert purged.returncode == 0, purged.stderr
    assert "purged 0 evidence photos" in purged.stdout
    missing = run("erase-biometrics", "0000")
    assert missing.returncode == 2
    assert "unknown_employee" in missing.stderr
    nobody = run("unlock", "nobody")
    assert nobody.returncode == 2
    actions = [row[0] for row in query(data_dir, "select action from audit_log")]
    assert actions == ["privacy.purge"]


def test_incremental_verify_hashes_only_new_entries(run: Run, data_dir: Path) -> None:  # noqa: F811
    assert run("token", "create", "--role", "kiosk", "--name", "lobby").returncode == 0
    assert run("audit", "verify").returncode == 0  # full, and remembers how far
    assert run("token", "create", "--role", "kiosk", "--name", "gate").returncode == 0
    ids = [row[0] for row in query(data_dir, "select id from audit_log order by id")]
    _sql(data_dir, f"update audit_log set actor = 'mallory' where id = {ids[-1]}")
    broken = run("audit", "verify", "--incremental")
    assert broken.returncode == 1
    assert f"BROKEN at entry {ids[-1]}" in broken.stderr
