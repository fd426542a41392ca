"""Rendering: the Jinja2 environment (autoescape on), the page language and WIB dates."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from hadir.domain.attendance import DEFAULT_TIMEZONE, to_local
from hadir.http.session import LANG_COOKIE, csrf_token, ensure_anon
from hadir.web import i18n

TEMPLATES = Path(__file__).parent / "templates"

DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "id": [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def page_language(request: Request) -> str:
    """``?lang=`` first (the switch link), then the cookie, then Bahasa Indonesia."""
    asked = request.query_params.get("lang")
    return i18n.language(asked or request.cookies.get(LANG_COOKIE))


def format_date(value: date | None, lang: str, *, weekday: bool = False) -> str:
    """``Senin, 3 Maret 2025`` / ``Monday, 3 March 2025``."""
    if value is None:
        return ""
    lang = i18n.language(lang)
    text = f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"
    return f"{DAYS[lang][value.weekday()]}, {text}" if weekday else text


def format_time(value: datetime | None, lang: str) -> str:
    """Local WIB wall-clock: ``08.05`` in Indonesian, ``08:05`` in English."""
    if value is None:
        return ""
    local = to_local(value, DEFAULT_TIMEZONE)
    sep = "." if i18n.language(lang) == "id" else ":"
    return f"{local.hour:02d}{sep}{local.minute:02d}"


def format_datetime(value: datetime | None, lang: str) -> str:
    if value is None:
        return ""
    local = to_local(value, DEFAULT_TIMEZONE)
    return f"{format_date(local.date(), lang)} {format_time(local, lang)} WIB"


def switch_url(request: Request, lang: str) -> str:
    """This page in the other language."""
    other = i18n.translate(lang, "lang.other")
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "ok")]
    return request.url.path + "?" + urlencode([*query, ("lang", other)])


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    """The page ``template`` in the request's language, with ``t``, the CSRF token, the
    principal (if any) and the date helpers in its context."""
    lang = page_language(request)

    def t(key: str, **values: object) -> str:
        return i18n.translate(lang, key, **values)

    values: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "t": t,
        "csrf": csrf_token(request),
        "principal": getattr(request.state, "principal", None),
        "fmt_date": lambda d, weekday=False: format_date(d, lang, weekday=weekday),
        "fmt_time": lambda d: format_time(d, lang),
        "fmt_datetime": lambda d: format_datetime(d, lang),
        "error_message": lambda code: i18n.error_message(lang, code),
        "script_messages": i18n.script_messages(lang),
        "path": request.url.path,
        "switch_url": switch_url(request, lang),
        "flash": flash if (flash := request.query_params.get("ok", "")) in i18n.ID else None,
    }
    values.update(context or {})
    html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status)
    ensure_anon(request, response)
    if request.query_params.get("lang") and i18n.language(request.query_params["lang"]) == lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", path="/")
    return response
