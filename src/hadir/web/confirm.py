"""A confirm step for destructive actions that works without inline script: a form marked
``data-confirm`` asks in the browser (``static/js/confirm.js``) and posts ``confirmed=1``;
without script the handler answers with a page that asks the same question first."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from hadir.http.session import CSRF_FIELD
from hadir.web.render import render

CONFIRMED = "confirmed"


def ask_first(
    request: Request, form: FormData, question: str, *, back: str, **values: object
) -> Response | None:
    """``None`` when the post was confirmed; else the page asking catalogue ``question``
    (filled with ``values``), which posts the same fields again with ``confirmed=1``."""
    if form.get(CONFIRMED) == "1":
        return None
    fields = [
        (name, value)
        for name, value in form.multi_items()
        if isinstance(value, str) and name not in (CSRF_FIELD, CONFIRMED)
    ]
    return render(
        request,
        "confirm.html",
        {
            "question": question,
            "values": values,
            "action": request.url.path,
            "fields": fields,
            "back": back,
        },
    )
