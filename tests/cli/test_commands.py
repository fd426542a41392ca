"""The administration and data commands, run as the real ``hadir`` in subprocesses
against a fresh data directory (the converted model is shared through a symlink)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hadir.cli.backup import pg_dump_command
from hadir.settings import Settings

Run = Callable[..., subprocess.CompletedProcess[str]]
SERENA = "Serena_Williams/Serena_Williams_000{}.jpg"
NIP_SRI = "198001012005011001"
NIP_ARIO = "198505052010011002"
EMPLOYEES_CSV = (
    "employee_id,name,unit,position,office,email,phone,active\n"
    f"{NIP_SRI},Sri Wahyuni,Keuangan,Bendahara,,sri@example.go.id,0812,ya\n"
    "199001012015011003,,Umum,Staf,,,,\n"
    f"{NIP_ARIO},Ario Wibowo,Umum,Staf,,,,ya\n"
)


@pytest.fixture
def data_dir(settings: Settings, tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    (path / "models").symlink_to(settings.model_cache_dir.resolve(), target_is_directory=True)
    return path


@pytest.fixture
def run(data_dir: Path, faces: Path) -> Run:
    def hadir(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        inherited = {k: v for k, v in os.environ.items() if k != "HADIR_DATABASE_URL"}
        environment = {
            **inherited,
            "HADIR_DATA_DIR": str(data_dir),
            "HADIR_FACES_DIR": str(faces),
            **env,
        }
        return subprocess.run(
            [sys.executable, "-m", "hadir.cli", *args],
            capture_output=True,
            text=True,
            env=environment,
            stdin=subprocess.DEVNULL,
            timeout=600,
            check=False,
        )

    return hadir


def query(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(data_dir / "hadir.sqlite3")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def imported(run: Run, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "employees.csv"
    source.write_text(EMPLOYEES_CSV)
    return run("employees", "import", str(source))


def test_init_with_admin_then_token_create(run: Run, data_dir: Path) -> None:
    no_password = run("init", "--admin-username", "root")
    assert no_password.returncode == 2
    assert "HADIR_ADMIN_PASSWORD" in no_password.stderr
    first = run("init", "--admin-username", "root", HADIR_ADMIN_PASSWORD="s3cret-pass")
    assert first.returncode == 0, first.stderr
    assert "admin root created" in first.stdout
    again = run("init", "--admin-username", "other", "--admin-password", "x")
    assert again.returncode == 0, again.stderr
    assert "left unchanged" in again.stdout
    assert query(data_dir, "select username from users where role = 'admin'") == [("root",)]

    token = run("token", "create", "--role", "kiosk", "--name", "lobby", "--expires-days", "30")
    assert token.returncode == 0, token.stderr
    lines = token.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hdr_") and len(lines[0]) > 30
    assert query(data_dir, "select role from api_tokens") == [("kiosk",)]
    bad_role = run("token", "create", "--role", "employee", "--name", "x")
    assert bad_role.returncode != 0


def test_employees_import_csv_and_xlsx(run: Run, data_dir: Path, tmp_path: Path) -> None:
    result = imported(run, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "created 2, updated 0, unchanged 0, refused 1" in result.stdout
    assert "line 3 (199001012015011003): name is empty" in result.stdout

    from openpyxl import Workbook  # type: ignore[import-untyped]

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIP", "Nama", "Unit", "Jabatan", "Aktif"])
    sheet.append([NIP_SRI, "Sri Wahyuni", "Sekretariat", "Kepala Bagian", "ya"])
    sheet.append(["199001012015011005", "Dewi Lestari", "Umum", "Staf", "ya"])
    book = tmp_path / "employees.xlsx"
    workbook.save(book)
    result = run("employees", "import", str(book))
    assert result.returncode == 0, result.stderr
    assert "created 1, updated 1, unchanged 0, refused 0" in result.stdout
    rows = query(data_dir, "select employee_id, unit, email from employees order by employee_id")
    assert rows == [
        (NIP_SRI, "Sekretariat", "sri@example.go.id"),
        (NIP_ARIO, "Umum", None),
        ("199001012015011005", "Umum", None),
    ]
    # issue 13.7: the import used to leave no trace in the audit log
    entries = query(data_dir, "select actor, action, target from audit_log order by id")
    actors = {actor for actor, _, _ in entries}
    assert len(actors) == 1 and str(actors.pop()).startswith("cli:")
    assert [(a, t) for _, a, t in entries] == [
        ("employee.create", f"employee:{NIP_SRI}"),
        ("employee.create", f"employee:{NIP_ARIO}"),
        ("employee.update", f"employee:{NIP_SRI}"),
        ("employee.create", "employee:199001012015011005"),
    ]
    result = run("audit", "verify")
    assert result.returncode == 0, result.stderr


def test_enroll_two_photos_of_one_person(run: Run, faces: Path, tmp_path: Path) -> None:
    assert imported(run, tmp_path).returncode == 0
    photos = [str(faces / SERENA.format(n)) for n in (1, 4)]
    result = run("enroll", NIP_SRI, *photos)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": accepted (template") == 2
    assert "2 of 2 photo(s) accepted" in result.stdout
    again = run("enroll", NIP_SRI, photos[0], "--no-consent")
    assert again.returncode == 1
    assert "refused conflict" in again.stdout
    unknown = run("enroll", "nobody", photos[0])
    assert unknown.returncode == 2
    assert "error unknown_employee" in unknown.stderr


def test_enroll_dir_reports_failures(run: Run, data_dir: Path, faces: Path, tmp_path: Path) -> None:
    assert imported(run, tmp_path).returncode == 0
    root = tmp_path / "photos"
    sri, ario, stranger = root / NIP_SRI, root / NIP_ARIO, root / "TAMU01"
    for folder in (sri, ario, stranger):
        folder.mkdir(parents=True)
    (sri / "a.jpg").symlink_to(faces / SERENA.format(1))
    (sri / "b.jpg").symlink_to(faces / SERENA.format(4))
    (sri / "broken.jpg").write_bytes(b"not a photo at all")
    (ario / "a.jpg").symlink_to(faces / "Ariel_Sharon/Ariel_Sharon_0001.jpg")
    (stranger / "a.jpg").symlink_to(faces / "John_Ashcroft/John_Ashcroft_0001.jpg")
    result = run("enroll-dir", str(root))
    assert result.returncode == 0, result.stderr
    assert "photos accepted 3, failures 2" in result.stdout
    assert f"{NIP_SRI}/broken.jpg: image_unreadable" in result.stdout
    assert "TAMU01/: unknown_employee" in result.stdout
    created = run("enroll-dir", str(root), "--create-missing")
    assert created.returncode == 0, created.stderr
    assert "created employees: TAMU01" in created.stdout
    assert query(data_dir, "select count(*) from face_templates") == [(4,)]


def test_report_monthly_xlsx_and_csv(run: Run, tmp_path: Path) -> None:
    assert imported(run, tmp_path).returncode == 0
    out = tmp_path / "rekap.xlsx"
    result = run("report", "monthly", "2025-08", "--out", str(out))
    assert result.returncode == 0, result.stderr
    from openpyxl import load_workbook

    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Rekap", "Harian", "Ketentuan"]
    recap = list(workbook["Rekap"].iter_rows(values_only=True))
    assert recap[0][0] == "NIP" and {r[0] for r in recap[1:]} == {NIP_SRI, NIP_ARIO}
    # August 2025: 21 weekdays, nobody came: 21 * 3 % = 63 %
    assert {r[0]: r[-1] for r in recap[1:]} == {NIP_SRI: 63, NIP_ARIO: 63}
    capped = run(
        "report", "monthly", "2025-08", "--out", str(out),
        HADIR_TPP_ABSENT_PERCENT="2", HADIR_TPP_CAP_PERCENT="40",
    )  # fmt: skip
    assert capped.returncode == 0, capped.stderr
    recap = list(load_workbook(out)["Rekap"].iter_rows(values_only=True))
    assert {r[-1] for r in recap[1:]} == {40}  # 42, capped
    wrong = run(
        "report", "monthly", "2025-08", "--out", str(out), HADIR_LATE_BANDS_MINUTES="[60, 30, 90]"
    )
    assert wrong.returncode == 2 and "late_bounds" in wrong.stderr
    assert len(list(workbook["Harian"].iter_rows())) == 1 + 2 * 31
    csv_out = tmp_path / "harian.csv"
    result = run("report", "monthly", "2025-08", "--out", str(csv_out), "--unit", "Umum")
    assert result.returncode == 0, result.stderr
    assert len(csv_out.read_text(encoding="utf-8-sig").splitlines()) == 1 + 31
    bad = run("report", "monthly", "2025-13", "--out", str(out))
    assert bad.returncode == 2 and "error validation_error" in bad.stderr


def test_db_backup_is_a_valid_copy(run: Run, tmp_path: Path) -> None:
    assert imported(run, tmp_path).returncode == 0
    target = tmp_path / "backups" / "hadir-backup.sqlite3"
    result = run("db", "backup", str(target))
    assert result.returncode == 0, result.stderr
    assert "integrity ok, 2 employees" in result.stdout
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("pragma integrity_check").fetchone() == ("ok",)
        assert copy.execute("select count(*) from employees").fetchone() == (2,)
    finally:
        copy.close()
    postgres = run(
        "db",
        "backup",
        str(tmp_path / "x.dump"),
        HADIR_DATABASE_URL="postgresql+psycopg://hadir:secret@db.example:5433/absensi",
    )
    # the client tools run pg_dump itself; an unreachable server is a clear error
    assert postgres.returncode == 2, postgres.stdout
    assert "error database_unavailable: pg_dump failed" in postgres.stderr
    assert "secret" not in postgres.stdout + postgres.stderr
    assert not (tmp_path / "x.dump").exists()
    assert pg_dump_command(
        "postgresql+psycopg://hadir:secret@db.example:5433/absensi", Path("x.dump")
    ) == (
        "pg_dump --format=custom --file=x.dump --host=db.example --port=5433 "
        "--username=hadir absensi"
    )


def test_holidays_sync_is_idempotent(run: Run, data_dir: Path) -> None:
    first = run("holidays", "sync", "--year", "2025")
    assert first.returncode == 0, first.stderr
    assert "2025-08-17 Hari Kemerdekaan Republik Indonesia" in first.stdout
    count = query(data_dir, "select count(*) from holidays")
    again = run("holidays", "sync", "--year", "2025")
    assert again.returncode == 0, again.stderr
    assert "added 0" in again.stdout
    assert query(data_dir, "select count(*) from holidays") == count
    assert query(data_dir, "select source from holidays where day = '2025-08-17'") == [
        ("national",)
    ]


def test_demo_twice_without_duplicates(run: Run, data_dir: Path) -> None:
    counts = "select (select count(*) from {})"
    tables = ("employees", "face_templates", "attendance_events", "offices")
    totals = []
    for _ in range(2):
        result = run("demo")
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1].startswith("kiosk token hdr_")
        totals.append([query(data_dir, counts.format(t))[0][0] for t in tables])
    assert totals[0] == totals[1]
    employees, templates, events, offices = totals[0]
    assert (employees, offices) == (5, 1)
    assert templates >= 15
    assert events >= 20
    accepted = query(data_dir, "select count(*) from attendance_events where decision='accepted'")
    assert accepted[0][0] >= 20
    # issue 13.7: the demo's office, people, faces and kiosk token are in the audit log
    actions = {row[0] for row in query(data_dir, "select distinct action from audit_log")}
    assert {"office.create", "employee.create", "faces.enrol", "token.issue"} <= actions
    created = query(data_dir, "select count(*) from audit_log where action='employee.create'")
    assert created[0][0] == 5  # the second run created nothing
