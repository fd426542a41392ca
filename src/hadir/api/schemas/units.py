"""Models of the unit-tree endpoints (agency → bidang → seksi)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hadir.services.units import UnitChange, UnitNode
from hadir.services.units_import import UnitLine


class UnitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=255)
    parent: str | None = Field(default=None, max_length=255, description="null: at the top")
    head: str | None = Field(default=None, max_length=64, description="the head's NIP")


class UnitPatch(BaseModel):
    """Only the fields sent change; ``parent: null`` puts the unit at the top and
    ``head: null`` clears the head."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=255)
    parent: str | None = Field(default=None, max_length=255)
    head: str | None = Field(default=None, max_length=64)

    def to_change(self) -> UnitChange:
        sent = self.model_fields_set
        return UnitChange(
            name=self.name if "name" in sent else None,
            parent=(self.parent or "") if "parent" in sent else None,
            head_nip=(self.head or "") if "head" in sent else None,
        )


class UnitHead(BaseModel):
    employee_id: str
    name: str


class UnitPublic(BaseModel):
    id: int
    name: str
    level: str
    depth: int
    path: list[str]
    parent_id: int | None
    head: UnitHead | None
    staff: int
    children: int

    @classmethod
    def of(cls, node: UnitNode) -> UnitPublic:
        head = node.head
        return cls(
            id=node.unit.id,
            name=node.unit.name,
            level=node.level,
            depth=node.depth,
            path=list(node.path),
            parent_id=node.unit.parent_id,
            head=None if head is None else UnitHead(employee_id=head.employee_id, name=head.name),
            staff=node.staff,
            children=node.children,
        )


class UnitImportLine(BaseModel):
    line: int
    name: str
    outcome: str
    reason: str

    @classmethod
    def of(cls, line: UnitLine) -> UnitImportLine:
        return cls(line=line.line, name=line.name, outcome=line.outcome, reason=line.reason)
