"""The ``hadir`` command. Thin: parse, call a use case, print; errors become exit codes.

Commands live in modules by topic, each registering itself on the one Typer app:
``faces`` (compare, embed, evaluate), ``admin`` (init, serve, token, db), ``enrol``
(enroll, enroll-dir), ``calibrate``, ``data`` (employees, report, holidays), ``demo``, ``liveness``
(liveness-eval) and ``security`` (audit, purge, erase-biometrics, unlock).
"""

from __future__ import annotations

import sys

import typer

from hadir.cli import admin, calibrate, data, demo, enrol, faces, liveness, security


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="hadir",
        help="Hadir: face-verified staff attendance.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    for module in (faces, calibrate, admin, enrol, data, demo, liveness, security):
        module.register(app)
    return app


def main() -> None:
    try:
        build_app()()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
