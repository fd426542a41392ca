"""Request and response models of the API, one module per resource."""

from __future__ import annotations

from hadir.api.schemas.faces import ComparePublic, FacePublic, HealthPublic

__all__ = ["ComparePublic", "FacePublic", "HealthPublic"]
