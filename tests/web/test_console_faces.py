"""The admin's face pages over ASGI (fake engine): the site calibration page refuses a
small office in plain words, then calibrates and shows the figures; the duplicate report."""

from __future__ import annotations

from hadir.services.enrolment import enrol_faces
from hadir.services.records import Role
from services.conftest import photo
from web.conftest import Web, csrf_of


def test_the_calibration_page_refuses_a_small_office_then_calibrates(web: Web) -> None:
    admin = web.browser(Role.ADMIN, name="root")
    page = admin.get("/admin/kalibrasi")
    assert page.status_code == 200
    assert "Belum dikalibrasi" in page.text
    csrf = csrf_of(page.text)
    refused = admin.post("/admin/kalibrasi", data={"csrf": csrf, "target_fmr": "0.001"})
    assert refused.status_code == 422
    assert "Pegawai terdaftar terlalu sedikit untuk kalibrasi." in refused.text

    engine = web.client.app.state.container.face_engine  # type: ignore[attr-defined]
    for i in range(21):
        nip = f"19900101201501{i:04d}"
        web.api.employee(nip, f"Pegawai {i}")
        photos = [photo(f"p{i}", seed=1), photo(f"p{i}", seed=2)]
        enrol_faces(web.api.database.uow_factory, engine, nip, photos, consent=True)
    done = admin.post("/admin/kalibrasi", data={"csrf": csrf, "target_fmr": "0.001"})
    assert done.status_code == 303
    shown = admin.get("/admin/kalibrasi?ok=saved")
    assert 'data-calibration="1"' in shown.text
    assert 'data-accept="0.9000"' in shown.text  # the fake's shipped floor holds
    assert "21 pegawai, 42 templat" in shown.text
    with web.api.database.uow_factory() as uow:
        entries = [(e.actor, e.action, e.detail.get("ip")) for e in uow.audit.list()]
        assert ("root", "faces.calibrate", "testclient") in entries
    report = admin.get("/admin/wajah-ganda")
    assert "Tidak ada pasangan wajah ganda di antara 42 templat." in report.text
