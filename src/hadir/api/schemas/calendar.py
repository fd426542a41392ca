"""Models of the office and holiday endpoints."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from hadir.domain.attendance import DEFAULT_TIMEZONE
from hadir.services.records import HolidayRecord, HolidaySource, OfficeRecord


class OfficeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=255)
    timezone: str = Field(default=DEFAULT_TIMEZONE, max_length=64)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    radius_m: float | None = Field(default=None, gt=0, le=1e6)
    require_liveness: bool = False


class OfficeUpdate(BaseModel):
    """Only the fields given change; the code never does."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=255)
    timezone: str | None = Field(default=None, max_length=64)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    radius_m: float | None = Field(default=None, gt=0, le=1e6)
    require_liveness: bool | None = None


class OfficePublic(BaseModel):
    id: int
    code: str
    name: str
    timezone: str
    latitude: float | None
    longitude: float | None
    radius_m: float | None
    require_liveness: bool

    @classmethod
    def of(cls, o: OfficeRecord) -> OfficePublic:
        return cls(
            id=o.id,
            code=o.code,
            name=o.name,
            timezone=o.timezone,
            latitude=o.latitude,
            longitude=o.longitude,
            radius_m=o.radius_m,
            require_liveness=o.require_liveness,
        )


class HolidayCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date
    name: str = Field(min_length=1, max_length=255)
    source: HolidaySource = HolidaySource.NATIONAL
    office_id: int | None = Field(default=None, description="null: every office")


class HolidayUpdate(BaseModel):
    """A holiday moved or renamed (e.g. cuti bersama shifted by decree)."""

    model_config = ConfigDict(extra="forbid")

    day: date
    name: str = Field(min_length=1, max_length=255)


class HolidayPublic(BaseModel):
    id: int
    day: date
    name: str
    source: str
    office_id: int | None

    @classmethod
    def of(cls, h: HolidayRecord) -> HolidayPublic:
        return cls(id=h.id, day=h.day, name=h.name, source=h.source.value, office_id=h.office_id)
