"""ORM models: the database schema, mirrored by the Alembic migrations.

One module per subject (``people``, ``hr``, ``attendance``, ``shifts``, ``access``, ``state``,
``face``) on one
declarative ``Base`` (``base``, with the conventions). Importing this package registers
every table, so ``Base.metadata`` here is the whole schema (migrations and test databases
use it). No ORM relationships: repositories query explicitly and the database does the
cascades.
"""

from hadir.store.tables import access, attendance, face, hr, people, shifts, state
from hadir.store.tables.base import Base

__all__ = ["Base", "access", "attendance", "face", "hr", "people", "shifts", "state"]
