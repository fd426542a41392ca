"""The catalogue: both languages complete, every error code explained, every key the
templates and scripts use present; the language switch; WIB dates in Indonesian."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime
from pathlib import Path

from hadir.domain.errors import ErrorCode
from hadir.face.liveness import ChallengeAction
from hadir.services.records import Role
from hadir.web import i18n
from hadir.web.render import TEMPLATES, format_date, format_datetime, format_time
from web.conftest import Web

STATIC = TEMPLATES.parent / "static"
CHECKIN_CODES = [
    "no_face",
    "multiple_faces",
    "face_too_small",
    "face_blurry",
    "face_too_dark",
    "face_too_bright",
    "face_not_frontal",
    "face_mismatch",
    "not_enrolled",
    "unknown_employee",
    "image_unreadable",
    "image_too_large",
    "liveness_failed",
    "challenge_expired",
    "replayed_image",
    "outside_geofence",
    "location_required",
    "rate_limited",
    "liveness_required",
    "challenge_reused",
]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    assert set(i18n.ID) == set(i18n.EN)
    for key in i18n.ID:
        assert i18n.ID[key].strip() and i18n.EN[key].strip(), key
        assert _placeholders(i18n.ID[key]) == _placeholders(i18n.EN[key]), key


def test_every_error_code_has_a_message_and_what_to_do() -> None:
    for code in [c.value for c in ErrorCode] + CHECKIN_CODES:
        for lang in i18n.LANGUAGES:
            title, hint = i18n.error_message(lang, code)
            assert title == i18n.CATALOGUE[lang][f"err.{code}.title"], (lang, code)
            assert hint == i18n.CATALOGUE[lang][f"err.{code}.hint"]
    assert i18n.error_message("id", "face_too_small")[1] == "Dekatkan wajah ke kamera."
    assert i18n.error_message("en", "something_new") == i18n.error_message("en", "unknown")


def _keys_in_templates() -> set[str]:
    found: set[str] = set()
    for path in TEMPLATES.rglob("*.html"):
        found |= set(re.findall(r"""\bt\(\s*["']([a-z_.]+)["']""", path.read_text()))
    return found


def test_every_key_a_template_uses_exists() -> None:
    used = _keys_in_templates()
    assert len(used) > 100
    static = {k for k in used if not k.endswith(".")}  # "decision." ~ value: see below
    assert sorted(static - set(i18n.ID)) == []


def test_every_key_a_script_uses_is_sent_to_it() -> None:
    sent = set(i18n.script_messages("id"))
    for path in (STATIC / "js").glob("*.js"):
        used = set(re.findall(r"""msgs\[\s*["']([a-z_.]+)["']\s*\]""", path.read_text()))
        assert sorted(used - sent) == [], path.name
    assert set(i18n.JS_KEYS) <= set(i18n.ID)


def test_dynamic_keys_exist_for_every_value() -> None:
    from hadir.domain.attendance import AttendanceKind, DayStatus, Decision, LeaveKind, LeaveStatus

    groups = {
        "kind": AttendanceKind,
        "decision": Decision,
        "status": DayStatus,
        "leave_kind": LeaveKind,
        "leave_status": LeaveStatus,
        "role": Role,
    }
    for prefix, enum in groups.items():
        for member in enum:
            assert f"{prefix}.{member.value}" in i18n.ID, (prefix, member)


def test_the_language_switch_is_remembered(web: Web) -> None:
    browser = web.anonymous()
    page = browser.get("/masuk")
    assert '<html lang="id">' in page.text and "Kata sandi" in page.text
    english = browser.get("/masuk?lang=en")
    assert '<html lang="en">' in english.text and "Password" in english.text
    assert "hadir_lang=en" in english.headers["set-cookie"]
    assert '<html lang="en">' in browser.get("/masuk").text
    assert 'href="/masuk?lang=id"' in browser.get("/masuk").text


def test_dates_and_times_in_wib() -> None:
    at = datetime(2025, 3, 3, 1, 5, tzinfo=UTC)  # 08:05 WIB
    assert format_datetime(at, "id") == "3 Maret 2025 08.05 WIB"
    assert format_datetime(at, "en") == "3 March 2025 08:05 WIB"
    assert format_time(datetime(2025, 3, 3, 17, 30, tzinfo=UTC), "id") == "00.30"
    assert format_date(date(2025, 8, 17), "id", weekday=True) == "Minggu, 17 Agustus 2025"


def test_no_page_text_is_hard_coded_in_python() -> None:
    """Page modules hand text to templates only through catalogue keys (``ok=`` flashes)."""
    pages = Path(i18n.__file__).parent / "pages"
    for path in pages.glob("*.py"):
        for flash in re.findall(r"ok=([a-z_.]+)", path.read_text()):
            assert flash in i18n.ID, (path.name, flash)


def test_every_liveness_challenge_has_its_prompt_in_both_languages() -> None:
    prompts = {a: i18n.in_every_language(f"challenge.{a.value}") for a in ChallengeAction}
    assert prompts[ChallengeAction.COME_CLOSER]["id"].startswith("Dekatkan wajah")
    assert prompts[ChallengeAction.TURN_LEFT_RIGHT]["en"].startswith("Slowly turn your head")
    assert all(set(p) == set(i18n.LANGUAGES) for p in prompts.values())
