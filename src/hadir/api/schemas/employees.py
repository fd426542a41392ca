"""Models of the employee and enrolment endpoints."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from hadir.domain.staff import EmployeeType
from hadir.services.enrolment import EnrolmentOutcome, FaceTemplateInfo
from hadir.services.records import EmployeeRecord, NewEmployee


class EmployeeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: str = Field(
        min_length=1,
        max_length=64,
        description="NIP: 18 digits for pns/pppk (spaces and dots allowed, stored bare); "
        "the office's staff number for non_asn",
    )
    name: str = Field(min_length=1, max_length=255)
    employee_type: EmployeeType = EmployeeType.PNS
    unit: str = Field(default="", max_length=255)
    position: str = Field(default="", max_length=255, description="jabatan")
    grade: str = Field(default="", max_length=16, description="golongan: III/a (pns), IX (pppk)")
    echelon: str = Field(default="", max_length=16, description="eselon: I.a .. IV.b or blank")
    superior_id: str | None = Field(
        default=None, max_length=64, description="NIP of the direct superior"
    )
    start_date: date | None = Field(default=None, description="TMT at this office")
    end_date: date | None = None
    office_id: int | None = None
    email: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=32)
    active: bool = True

    def to_new(self) -> NewEmployee:
        """The employee to register (the superior is resolved by the service)."""
        return NewEmployee(**self.model_dump(exclude={"superior_id"}))


class EmployeeUpdate(BaseModel):
    """Only the fields sent are changed; the NIP never changes."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=255)
    employee_type: EmployeeType | None = None
    unit: str | None = Field(default=None, max_length=255)
    position: str | None = Field(default=None, max_length=255)
    grade: str | None = Field(default=None, max_length=16)
    echelon: str | None = Field(default=None, max_length=16)
    superior_id: str | None = Field(default=None, max_length=64)
    start_date: date | None = None
    end_date: date | None = None
    office_id: int | None = None
    email: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=32)
    active: bool | None = None


class EmployeePublic(BaseModel):
    employee_id: str
    name: str
    employee_type: EmployeeType
    unit: str
    position: str
    grade: str
    rank: str
    """The pangkat that goes with a PNS grade."""
    echelon: str
    superior_id: str | None
    """The direct superior's NIP."""
    start_date: date | None
    end_date: date | None
    office_id: int | None
    email: str | None
    phone: str | None
    active: bool
    consent_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, e: EmployeeRecord, superiors: Mapping[int, str] | None = None) -> EmployeePublic:
        """``superiors`` maps the superior's database key to their NIP."""
        superior = None if e.superior_id is None else (superiors or {}).get(e.superior_id)
        return cls(
            employee_id=e.employee_id,
            name=e.name,
            employee_type=e.employee_type,
            unit=e.unit,
            position=e.position,
            grade=e.grade,
            rank=e.rank,
            echelon=e.echelon,
            superior_id=superior,
            start_date=e.start_date,
            end_date=e.end_date,
            office_id=e.office_id,
            email=e.email,
            phone=e.phone,
            active=e.active,
            consent_at=e.consent_at,
            created_at=e.created_at,
            updated_at=e.updated_at,
        )


class EmployeePage(BaseModel):
    items: list[EmployeePublic]
    limit: int
    offset: int


class QualityPublic(BaseModel):
    face_size_px: float
    sharpness: float
    brightness: float
    yaw: float
    detection_score: float


class ErrorPublic(BaseModel):
    code: str
    message: str


class EnrolmentResult(BaseModel):
    position: int
    accepted: bool
    image_sha256: str
    template_id: int | None = None
    quality: QualityPublic | None = None
    error: ErrorPublic | None = None
    other_employee_id: str | None = None
    """``face_matches_other_employee``: the NIP of the employee whose face this is."""
    similarity: float | None = None
    """The similarity behind a cross-check refusal (``face_inconsistent``,
    ``face_matches_other_employee``)."""

    @classmethod
    def of(cls, o: EnrolmentOutcome) -> EnrolmentResult:
        q = o.quality
        return cls(
            position=o.position,
            accepted=o.accepted,
            image_sha256=o.image_sha256,
            template_id=o.template_id,
            quality=None
            if q is None
            else QualityPublic(
                face_size_px=round(q.face_size_px, 1),
                sharpness=round(q.sharpness, 2),
                brightness=round(q.brightness, 1),
                yaw=round(q.yaw, 1),
                detection_score=round(q.detection_score, 4),
            ),
            error=None
            if o.error_code is None
            else ErrorPublic(code=o.error_code.value, message=o.message or ""),
            other_employee_id=o.other_employee_id,
            similarity=None if o.similarity is None else round(o.similarity, 4),
        )


class EnrolmentPublic(BaseModel):
    employee_id: str
    accepted: int
    results: list[EnrolmentResult]


class FaceTemplatePublic(BaseModel):
    template_id: int
    contract: str
    image_sha256: str | None
    created_at: datetime

    @classmethod
    def of(cls, t: FaceTemplateInfo) -> FaceTemplatePublic:
        return cls(
            template_id=t.template_id,
            contract=t.contract,
            image_sha256=t.image_sha256,
            created_at=t.created_at,
        )


class FacesDeleted(BaseModel):
    employee_id: str
    deleted: int
