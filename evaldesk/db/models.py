"""ORM tables: fiscal years, departments, programs, imports, history and manual links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class FiscalYearRow(Base):
    __tablename__ = "fiscal_years"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    programs: Mapped[list[ProgramRow]] = relationship(back_populates="fiscal_year", passive_deletes=True)


class DepartmentRow(Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)


class ImportRow(Base):
    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    programs: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(Text, default="")
    warnings: Mapped[str] = mapped_column(Text, default="[]")
    pdf: Mapped[bytes | None] = mapped_column(nullable=True, deferred=True)


class ProgramRow(Base):
    __tablename__ = "programs"
    __table_args__ = (
        UniqueConstraint("fiscal_year_id", "program_id", name="uq_programs_year_program"),
        Index("ix_programs_year_no", "fiscal_year_id", "no"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id", ondelete="CASCADE"))
    program_id: Mapped[str] = mapped_column(String(64))
    no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sort_key: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    purpose: Mapped[str] = mapped_column(Text)
    overview: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(Text, default="")
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("imports.id", ondelete="SET NULL"), nullable=True
    )
    source_page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source_top: Mapped[float | None] = mapped_column(Float, nullable=True)
    source_bottom: Mapped[float | None] = mapped_column(Float, nullable=True)

    fiscal_year: Mapped[FiscalYearRow] = relationship(back_populates="programs")
    department: Mapped[DepartmentRow] = relationship(lazy="joined")


class HistoryRow(Base):
    """Every change to a program text; kept by (year, 事業番号) so it outlives a replaced import."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_year_program", "fiscal_year", "program_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    program_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(32))
    old: Mapped[str | None] = mapped_column(Text, nullable=True)
    new: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(Text)
    how: Mapped[str] = mapped_column(String(32))
    revision: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(Text, nullable=True, info={"since": "0003"})
    """Where the text came from beyond the user, e.g. a 課's returned workbook (file name and date)."""


class LinkRow(Base):
    __tablename__ = "program_links"
    __table_args__ = (
        UniqueConstraint("from_year", "from_program_id", "to_year", "to_program_id", name="uq_links_pair"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_year: Mapped[int] = mapped_column(Integer)
    from_program_id: Mapped[str] = mapped_column(String(64))
    to_year: Mapped[int] = mapped_column(Integer)
    to_program_id: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")


class RoundSendRow(Base):
    """One workbook sent to a 部署: who, when, and per program the revision and texts as sent."""

    __tablename__ = "round_sends"
    __table_args__ = (
        Index("ix_round_sends_year_department", "fiscal_year", "department"),
        {"info": {"since": "0003"}},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    sent_by: Mapped[str] = mapped_column(Text)
    due: Mapped[str] = mapped_column(String(10), default="")
    return_to: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[str] = mapped_column(Text)
    """JSON {事業番号: {"revision": n, "texts": {field: text}}} as written into the workbook."""


class RoundStateRow(Base):
    """Where a 部署 stands in a year's round (sent / collected / accepted) with the dates."""

    __tablename__ = "round_states"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "department", name="uq_round_states_year_department"),
        {"info": {"since": "0003"}},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    collected_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    due: Mapped[str] = mapped_column(String(10), default="")
    file_name: Mapped[str] = mapped_column(Text, default="")


class RoundCommentRow(Base):
    """A 課's comment to the office on one program, from its returned workbook."""

    __tablename__ = "round_comments"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "program_id", name="uq_round_comments_year_program"),
        {"info": {"since": "0003"}},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    program_id: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)
