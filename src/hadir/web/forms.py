"""Reading posted form fields (strings, dates, numbers) with domain validation errors."""

from __future__ import annotations

from datetime import date

from starlette.datastructures import FormData

from hadir.domain.errors import DomainValidationError


def text_field(form: FormData, name: str, *, max_length: int = 500) -> str:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > max_length:
        raise DomainValidationError(f"{name} is too long", field=name)
    return text


def optional_text(form: FormData, name: str, *, max_length: int = 500) -> str | None:
    return text_field(form, name, max_length=max_length) or None


def parse_date(form: FormData, name: str) -> date:
    try:
        return date.fromisoformat(text_field(form, name, max_length=10))
    except ValueError as exc:
        raise DomainValidationError(f"{name} is not a date (YYYY-MM-DD)", field=name) from exc


def optional_date(form: FormData, name: str) -> date | None:
    """A date field left blank is ``None``."""
    return parse_date(form, name) if text_field(form, name, max_length=10) else None


def optional_float(form: FormData, name: str) -> float | None:
    text = text_field(form, name, max_length=40)
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError as exc:
        raise DomainValidationError(f"{name} is not a number", field=name) from exc


def optional_int(form: FormData, name: str) -> int | None:
    value = optional_float(form, name)
    return None if value is None else int(value)


def typed(form: FormData) -> dict[str, str]:
    """What was typed into a refused form (to fill it again), without the CSRF token."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
