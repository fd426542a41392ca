"""Page helpers of the browser tests."""

from __future__ import annotations

from typing import Any

from browser.conftest import Served

JAKARTA = {"latitude": -6.1754, "longitude": 106.8272, "accuracy": 20}


def new_page(browser: Any, served: Served, **options: Any) -> Any:
    settings: dict[str, Any] = {
        "base_url": served.base,
        "permissions": ["geolocation", "camera"],
        "geolocation": JAKARTA,
        "locale": "id-ID",
        "timezone_id": "Asia/Jakarta",
        # the app's service worker would take the page's requests out of page.route's
        # reach once it controls the page (a race the tests' stubbed answers lose)
        "service_workers": "block",
    }
    context = browser.new_context(**{**settings, **options})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    return page


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/masuk")
    page.get_by_label("NIP atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    submit(page, "Masuk")


def submit(page: Any, button: str) -> None:
    """Click a submit button and wait for the page the form answers with."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def unlabelled_controls(page: Any) -> list[str]:
    """Visible inputs, selects and buttons without an accessible name."""
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('input, select, button, textarea'))
              .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
              .filter(el => !((el.labels && el.labels.length) || el.getAttribute('aria-label')
                              || (el.tagName === 'BUTTON' && el.textContent.trim())))
              .map(el => el.outerHTML.slice(0, 80))"""
        )
    )
