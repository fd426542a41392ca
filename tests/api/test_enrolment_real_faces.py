"""Enrolment cross-checks with the real engine on real faces, through the API, the console
and ``hadir audit faces``: Naomi Watts' photo offered for Pierce Brosnan is refused, and
one person enrolled under two NIPs (an admin override) is reported."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.conftest import Api, Headers, make_api
from hadir.services.records import Role
from services.conftest import NOW, FixedClock
from web.conftest import Web, csrf_of

PIERCE = "197001012000011001"
NAOMI = "196801012000012002"
NAOMI_AGAIN = "196801012000012099"


@pytest.fixture
def real_api(tmp_path: Path, engine: object) -> Iterator[Api]:
    yield from make_api(tmp_path, engine, FixedClock(NOW))


def _files(faces: Path, person: str, *numbers: int) -> list[tuple[str, tuple[str, bytes, str]]]:
    out = []
    for n in numbers:
        name = f"{person}_{n:04d}.jpg"
        out.append(("images", (name, (faces / person / name).read_bytes(), "image/jpeg")))
    return out


def _enrol(api: Api, nip: str, files: object, headers: Headers, **form: str) -> dict[str, object]:
    response = api.client.post(
        f"/api/v1/employees/{nip}/faces",
        files=files,  # type: ignore[arg-type]
        data={"consent": "true", **form},
        headers=headers,
    )
    body: dict[str, object] = response.json()
    body["http_status"] = response.status_code
    return body


def _codes(body: dict[str, object]) -> list[str | None]:
    results = body["results"]
    assert isinstance(results, list)
    return [r["error"]["code"] if r["error"] else None for r in results]


def test_a_wrong_face_is_refused_and_a_duplicate_person_is_reported(
    real_api: Api, faces: Path, tmp_path: Path, settings: object
) -> None:
    api = real_api
    admin = api.token(Role.ADMIN, name="root")
    operator = api.token(Role.OPERATOR)
    api.employee(PIERCE, "Pierce Brosnan")
    api.employee(NAOMI, "Naomi Watts")
    api.employee(NAOMI_AGAIN, "N. Watts (second NIP)")

    pierce = _enrol(api, PIERCE, _files(faces, "Pierce_Brosnan", 1, 2), operator)
    assert pierce["http_status"] == 201 and pierce["accepted"] == 2, pierce

    # Naomi is not enrolled yet: her photo does not match Pierce's own faces
    wrong = _enrol(api, PIERCE, _files(faces, "Naomi_Watts", 1), operator)
    assert wrong["http_status"] == 422, wrong
    assert _codes(wrong) == ["face_inconsistent"]

    naomi = _enrol(api, NAOMI, _files(faces, "Naomi_Watts", 1, 2), operator)
    assert naomi["http_status"] == 201 and naomi["accepted"] == 2, naomi
    # now her face is known: offered for Pierce, it is refused naming her NIP to staff
    taken = _enrol(api, PIERCE, _files(faces, "Naomi_Watts", 3), operator)
    assert taken["http_status"] == 422, taken
    assert _codes(taken) == ["face_matches_other_employee"]
    [result] = taken["results"]  # type: ignore[misc]
    assert result["other_employee_id"] == NAOMI
    assert NAOMI not in result["error"]["message"]

    # the console (HR's page) refuses the same photo and links the other employee
    web = Web(api)
    hr = web.browser(Role.OPERATOR)
    csrf = csrf_of(hr.get(f"/admin/pegawai/{PIERCE}").text)
    page = hr.post(
        f"/admin/pegawai/{PIERCE}/wajah",
        data={"csrf": csrf, "consent": "1"},
        files=_files(faces, "Naomi_Watts", 4),
    )
    assert page.status_code == 422
    assert f'data-other="{NAOMI}"' in page.text
    assert "Wajah ini sudah terdaftar untuk pegawai lain." in page.text
    with api.database.uow_factory() as uow:
        assert len(uow.templates.list_for(uow.employees.get_by_employee_id(PIERCE).id)) == 2

    # one person behind two NIPs: only an admin can override, and it is then reported
    again = _files(faces, "Naomi_Watts", 5)
    refused = _enrol(api, NAOMI_AGAIN, again, operator, allow_duplicate="true")
    assert refused["http_status"] == 403, refused
    forced = _enrol(api, NAOMI_AGAIN, again, admin, allow_duplicate="true")
    assert forced["http_status"] == 201, forced

    boss = web.browser(Role.ADMIN)
    report = boss.get("/admin/wajah-ganda")
    assert report.status_code == 200
    assert f'data-pair="{NAOMI} {NAOMI_AGAIN}"' in report.text
    assert PIERCE not in report.text
    assert hr.get("/admin/wajah-ganda").status_code == 403

    data_dir = tmp_path / "cli-data"
    data_dir.mkdir()
    models = Path(getattr(settings, "model_cache_dir")).resolve()  # noqa: B009
    (data_dir / "models").symlink_to(models, target_is_directory=True)
    database = api.database.engine.url.render_as_string(hide_password=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADIR_")}
    env |= {"HADIR_DATA_DIR": str(data_dir), "HADIR_DATABASE_URL": database}
    done = subprocess.run(
        [sys.executable, "-m", "hadir.cli", "audit", "faces"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("1 pair(s) of employees with matching faces among 5 templates")
    assert NAOMI in lines[1] and NAOMI_AGAIN in lines[1] and PIERCE not in done.stdout
