"""The CSP forbids inline code and style: no template or static file may rely on them, and
nothing is loaded from another site."""

from __future__ import annotations

import re

from hadir.web.render import TEMPLATES, environment

STATIC = TEMPLATES.parent / "static"
FILES = sorted(TEMPLATES.rglob("*.html"))


def test_templates_exist_and_autoescape() -> None:
    assert len(FILES) >= 15
    rendered = environment().from_string("{{ x }}").render(x="<script>alert(1)</script>")
    assert "<script>" not in rendered
    assert environment().get_template("base.html").environment.autoescape


def test_no_inline_script_handler_or_style() -> None:
    for path in FILES:
        html = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert re.search(r'\ssrc="/static/js/[a-z]+\.js"', tag), (path.name, tag)
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), path.name
        assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE), path.name
        assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE), path.name
        assert "<style" not in html, path.name
        assert "javascript:" not in html.lower(), path.name


def test_nothing_comes_from_another_site() -> None:
    for path in [*FILES, *STATIC.rglob("*.*")]:
        if path.suffix == ".png":
            continue
        text = path.read_text()
        urls = re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE)
        assert [u for u in urls if "www.w3.org" not in u] == [], (path.name, urls)


def test_scripts_never_write_html() -> None:
    for path in (STATIC / "js").glob("*.js"):
        text = path.read_text()
        assert "innerHTML" not in text and "eval(" not in text, path.name
        assert "document.write" not in text, path.name
