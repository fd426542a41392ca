"""Sign-in and sign-out through the forms, the session cookie, CSRF on forms and on
cookie-authenticated API calls, and the security headers."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hadir.services.auth import create_user
from hadir.services.records import Role
from hadir.web.security import CONTENT_SECURITY_POLICY
from services.conftest import photo
from web.conftest import Web, csrf_of

PASSWORD = "rahasia-123"


def _account(web: Web, username: str, role: Role = Role.OPERATOR) -> None:
    with web.api.database.uow_factory() as uow:
        create_user(uow, username, PASSWORD, role)
        uow.commit()


def _sign_in(browser: TestClient, username: str, password: str, next_url: str = "") -> object:
    form = browser.get("/masuk")
    return browser.post(
        "/masuk",
        data={
            "username": username,
            "password": password,
            "csrf": csrf_of(form.text),
            "next": next_url,
        },
    )


def test_sign_in_sets_a_safe_cookie_and_returns_to_the_page_asked_for(web: Web) -> None:
    _account(web, "hr")
    browser = web.anonymous()
    answer = _sign_in(browser, "hr", PASSWORD, "/admin/pegawai?q=sri")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] == "/admin/pegawai?q=sri"  # type: ignore[attr-defined]
    cookie = answer.headers["set-cookie"].lower()  # type: ignore[attr-defined]
    assert "hadir_session=hdr_" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http here
    assert browser.get("/admin/pegawai").status_code == 200


def test_the_cookie_is_secure_over_https(web: Web) -> None:
    _account(web, "hr")
    browser = TestClient(web.client.app, base_url="https://testserver", follow_redirects=False)
    answer = _sign_in(browser, "hr", PASSWORD)
    assert "secure" in answer.headers["set-cookie"].lower()  # type: ignore[attr-defined]


def test_next_never_leaves_the_site(web: Web) -> None:
    _account(web, "hr")
    for target in ("//evil.example/x", "https://evil.example/", "\\\\evil"):
        answer = _sign_in(web.anonymous(), "hr", PASSWORD, target)
        assert answer.headers["location"] == "/admin"  # type: ignore[attr-defined]


def test_a_wrong_password_shows_the_form_again(web: Web) -> None:
    _account(web, "hr")
    answer = _sign_in(web.anonymous(), "hr", "salah-sekali")
    assert answer.status_code == 401  # type: ignore[attr-defined]
    assert "kata sandi salah" in answer.text  # type: ignore[attr-defined]
    assert (
        "set-cookie" not in answer.headers
        or "hadir_session=hdr_"
        not in (  # type: ignore[attr-defined]
            answer.headers["set-cookie"]  # type: ignore[attr-defined]
        )
    )


def test_a_form_without_the_csrf_token_is_refused(web: Web) -> None:
    _account(web, "hr")
    browser = web.anonymous()
    browser.get("/masuk")
    refused = browser.post("/masuk", data={"username": "hr", "password": PASSWORD})
    assert refused.status_code == 403
    assert 'data-code="csrf_failed"' in refused.text
    admin = web.browser(Role.ADMIN)
    forged = admin.post("/admin/pegawai", data={"employee_id": "1", "name": "X", "csrf": "0" * 64})
    assert forged.status_code == 403
    with web.api.database.uow_factory() as uow:
        assert uow.employees.list() == []


def test_the_csrf_token_is_bound_to_the_session(web: Web) -> None:
    one, two = web.browser(Role.ADMIN), web.browser(Role.ADMIN)
    token_of_one = csrf_of(one.get("/admin").text)
    assert token_of_one != csrf_of(two.get("/admin").text)
    stolen = two.post(
        "/admin/pegawai", data={"employee_id": "1", "name": "X", "csrf": token_of_one}
    )
    assert stolen.status_code == 403


def test_sign_out_revokes_the_session_token(web: Web) -> None:
    browser = web.browser(Role.OPERATOR)
    token = browser.cookies.get("hadir_session")
    csrf = csrf_of(browser.get("/admin").text)
    out = browser.post("/keluar", data={"csrf": csrf})
    assert out.status_code == 303
    assert out.headers["location"] == "/masuk"
    replay = web.anonymous()
    replay.cookies.set("hadir_session", token or "")
    assert replay.get("/admin").status_code == 303
    api = web.anonymous().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401


def test_the_api_accepts_the_session_cookie_and_needs_the_csrf_header_to_change(
    web: Web,
) -> None:
    staff = web.api.token(Role.OPERATOR)
    sri = web.api.employee("1001", "Sri Wahyuni")
    web.api.enrol("1001", staff, photo("sri", seed=1), photo("sri", seed=2))
    browser = web.browser(Role.EMPLOYEE, employee=sri)
    assert browser.get("/api/v1/auth/me").json()["role"] == "employee"
    files = {"image": ("face.jpg", photo("sri", seed=9), "image/jpeg")}
    refused = browser.post("/api/v1/attendance/check-in", files=files)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    wrong = browser.post(
        "/api/v1/attendance/check-in", files=files, headers={"X-CSRF-Token": "f" * 64}
    )
    assert wrong.json()["error"]["code"] == "csrf_failed"
    csrf = csrf_of(browser.get("/absen").text)
    accepted = browser.post(
        "/api/v1/attendance/check-in", files=files, headers={"X-CSRF-Token": csrf}
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["employee"]["name"] == "Sri Wahyuni"


def test_bearer_tokens_need_no_csrf_header(web: Web) -> None:
    staff = web.api.token(Role.OPERATOR)
    created = web.anonymous().post(
        "/api/v1/employees",
        json={"employee_id": "9", "employee_type": "non_asn", "name": "Ario"},
        headers=staff,
    )
    assert created.status_code == 201


def test_security_headers_on_pages_api_static_and_errors(web: Web) -> None:
    browser = web.browser(Role.ADMIN)
    for path in ("/admin", "/masuk", "/api/v1/auth/me", "/static/css/hadir.css", "/nope", "/"):
        answer = browser.get(path)
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"
        assert "camera=(self)" in answer.headers["permissions-policy"]
        assert "geolocation=(self)" in answer.headers["permissions-policy"]
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    docs = browser.get("/docs")  # the Swagger page, served from the app (issue 13)
    assert docs.status_code == 200
    assert "cdn" not in docs.headers["content-security-policy"]
    assert "script-src 'self';" in docs.headers["content-security-policy"]
    assert docs.headers["x-content-type-options"] == "nosniff"


def test_a_kiosk_is_activated_with_a_kiosk_token_only(web: Web) -> None:
    admin = web.browser(Role.ADMIN)
    made = admin.post(
        "/admin/pengguna/kiosk",
        data={"name": "pintu-depan", "csrf": csrf_of(admin.get("/admin/pengguna").text)},
    )
    assert made.status_code == 201
    token = made.text.split('id="new-token">')[1].split("<")[0]
    operator_token = web.api.token(Role.OPERATOR)["Authorization"].split()[1]
    tablet = web.anonymous()
    form = tablet.get("/kiosk/aktifkan")
    refused = tablet.post(
        "/kiosk/aktifkan", data={"token": operator_token, "csrf": csrf_of(form.text)}
    )
    assert refused.status_code == 401
    assert "bukan token kiosk" in refused.text
    done = tablet.post("/kiosk/aktifkan", data={"token": token, "csrf": csrf_of(form.text)})
    assert done.status_code == 303
    assert "max-age=31536000" in done.headers["set-cookie"].lower()
    assert tablet.get("/kiosk").status_code == 200
