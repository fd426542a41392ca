"""Persistence: SQLAlchemy tables, repositories and the unit of work (see ``uow``)."""
