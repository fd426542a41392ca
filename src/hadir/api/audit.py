"""One dependency that writes an audit entry for every successful change made through the
admin routers (employees, faces, leave, review, schedules, offices, holidays).

It is attached to those routers in ``create_app``; reads (GET/HEAD/OPTIONS) are not
logged. The entry is written after the route returned without an error, in its own unit
of work: action ``api.<route name>`` (e.g. ``api.delete_employee``), target the path
parameters (``nip=1987…``), detail the method, the route path, the query and the
caller's address. Check-in/check-out, sign-in, tokens and erasure write their own, richer
entries in the services (``hadir.services.audit``).
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request

from hadir.api.deps import DatabaseDep, PrincipalDep
from hadir.http.ratelimit import request_context
from hadir.services import audit

READS = frozenset({"GET", "HEAD", "OPTIONS"})


def audit_changes(
    request: Request, principal: PrincipalDep, database: DatabaseDep
) -> Iterator[None]:
    yield  # an error in the route propagates from here: nothing is written
    if request.method in READS:
        return
    route = request.scope.get("route")
    name = getattr(route, "name", None) or "unknown"
    path = getattr(route, "path", request.url.path)
    target = ",".join(f"{k}={v}" for k, v in sorted(request.path_params.items())) or None
    with database.uow_factory() as uow:
        audit.record(
            uow,
            principal.username,
            f"api.{name}",
            target,
            ip=request_context().ip or (request.client.host if request.client else None),
            detail={"method": request.method, "path": path, "query": str(request.url.query)},
        )
        uow.commit()
