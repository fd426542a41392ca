"""Admin pages about the faces as a whole: the duplicate-face report and the site
calibration (``hadir.services.facecheck``, ``hadir.services.sitecal``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from hadir.domain.errors import HadirError
from hadir.http.deps import DatabaseDep, EngineDep, SettingsDep
from hadir.services.facecheck import duplicate_report
from hadir.services.sitecal import calibrate_site, current_calibration, shipped_policy
from hadir.web.deps import AdminPage, Form, PageActor
from hadir.web.forms import text_field
from hadir.web.pages.console_people import problem_text
from hadir.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)

TARGETS = ("0.001", "0.0001", "0.01")


@router.get("/wajah-ganda")
async def duplicates_page(
    request: Request, _: AdminPage, database: DatabaseDep, engine: EngineDep
) -> Response:
    """Pairs of different employees whose templates match (one person behind two NIPs)."""
    report = await run_in_threadpool(lambda: duplicate_report(database.uow_factory(), engine))
    return render(request, "console/duplicates.html", {"report": report})


def _calibration_page(
    request: Request,
    database: DatabaseDep,
    engine: EngineDep,
    *,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    shipped = shipped_policy(engine)
    values = {
        "current": current_calibration(database.uow_factory, engine),
        "shipped": shipped,
        "targets": TARGETS,
        "problem": problem,
    }
    return render(request, "console/calibration.html", values, status=status)


@router.get("/kalibrasi")
def calibration_page(
    request: Request, _: AdminPage, database: DatabaseDep, engine: EngineDep
) -> Response:
    return _calibration_page(request, database, engine)


@router.post("/kalibrasi")
async def calibration_run(
    request: Request,
    _: AdminPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    engine: EngineDep,
    settings: SettingsDep,
) -> Response:
    """Calibrate now from the enrolled templates; the page shows the new figures."""
    target = text_field(form, "target_fmr")
    lower = text_field(form, "allow_lower") == "1"
    try:
        await run_in_threadpool(
            lambda: calibrate_site(
                database.uow_factory,
                engine,
                actor=actor,
                target_fmr=float(target) if target in TARGETS else 1e-3,
                min_employees=settings.calibration_min_employees,
                allow_lower=lower,
            )
        )
    except HadirError as exc:
        return _calibration_page(
            request, database, engine, problem=problem_text(request, exc), status=422
        )
    return RedirectResponse("/admin/kalibrasi?ok=saved", 303)
