"""Plain frozen records that cross the boundary between the core and its clients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

Progress = Callable[[int, int], None]
"""Called with (done, total) as long work advances; may raise Cancelled to stop."""

TEXT_FIELDS: tuple[str, ...] = ("name", "department", "purpose", "overview", "outcome")
"""The editable texts of a program, in the order they are shown."""

FIELD_LABELS: dict[str, str] = {
    "no": "No.",
    "program_id": "事業番号",
    "name": "事務事業名",
    "department": "部署名",
    "purpose": "事業の目的",
    "overview": "事業の概要",
    "outcome": "成果",
}


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where a row was printed in the imported PDF (0-based page, PDF points from the page top)."""

    page: int
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One program as read from a PDF table, texts exactly as printed."""

    no: int | None
    program_id: str
    name: str
    department: str
    purpose: str
    overview: str
    outcome: str
    source: SourceLocation | None = None

    def text(self, name: str) -> str:
        return str(getattr(self, name))

    def printed_at(self, page: int, y: float) -> bool:
        """Whether this row was printed on ``page`` (0-based) across height ``y``."""
        src = self.source
        return src is not None and src.page == page and src.top <= y <= src.bottom


@dataclass(frozen=True, slots=True)
class CellDoubt:
    """A cell the importer may have read wrong: which program and field, why, and where on the page.

    ``row`` indexes ``ParsedTable.rows``; ``box`` is (x0, top, x1, bottom) in PDF points from the top-left
    corner of page ``page`` (0-based), so a client can show the printed cell beside the text read.
    """

    row: int
    no: int | None
    program_id: str
    field: str
    # missing_id, duplicate_id, id_shape, sequence, header_words, crosses_column, bare_number, empty,
    # unmapped, overprint
    kind: str
    reason: str
    text: str
    page: int | None = None
    box: tuple[float, float, float, float] | None = None

    @property
    def label(self) -> str:
        """「No.3 事業番号 15 の事務事業名」: how a person names the cell."""
        who = [f"No.{self.no}"] if self.no is not None else [f"{self.row + 1} 行目"]
        if self.program_id:
            who.append(f"事業番号 {self.program_id}")
        return f"{' '.join(who)} の{FIELD_LABELS.get(self.field, self.field)}"


@dataclass(frozen=True, slots=True)
class ParsedTable:
    """What the importer read from one PDF, before anything is written."""

    rows: tuple[ParsedRow, ...]
    pages: int
    warnings: tuple[str, ...]
    title: str | None
    title_year: int | None
    doubts: tuple[CellDoubt, ...] = ()
    cells_checked: int = 0


@dataclass(frozen=True, slots=True)
class Program:
    fiscal_year: int
    no: int | None
    program_id: str
    name: str
    department: str
    purpose: str
    overview: str
    outcome: str
    revision: int
    updated_at: datetime
    source: SourceLocation | None = None

    def text(self, name: str) -> str:
        return str(getattr(self, name))

    def texts(self) -> dict[str, str]:
        return {f: self.text(f) for f in TEXT_FIELDS}


@dataclass(frozen=True, slots=True)
class ProgramHit:
    """A program a search found, without its texts: enough to pick it from a list already read."""

    program_id: str
    revision: int


@dataclass(frozen=True, slots=True)
class YearInfo:
    year: int
    label: str
    programs: int
    source_file: str | None
    imported_at: datetime | None


@dataclass(frozen=True, slots=True)
class Changes:
    """What one operation changed, told to every view that shows data (empty: nothing changed).

    Like Anki's ``OpChanges``: a mutation says what it touched, and each view decides whether it
    shows any of it, instead of one view asking another to refresh.
    """

    programs: frozenset[tuple[int, str]] = frozenset()
    """(year, 事業番号) of programs whose texts changed."""
    years: frozenset[int] = frozenset()
    """Years imported, replaced or deleted: every program in them may have changed."""
    links: frozenset[tuple[int, int]] = frozenset()
    """(from year, to year) pairs whose manual links changed."""
    everything: bool = False
    """The whole database was replaced (a restore from a backup)."""

    def __bool__(self) -> bool:
        return bool(self.programs or self.years or self.links or self.everything)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            programs=self.programs | other.programs,
            years=self.years | other.years,
            links=self.links | other.links,
            everything=self.everything or other.everything,
        )

    def touches_year(self, year: int) -> bool:
        """Whether anything shown for ``year`` (its programs, its list of years) may have changed."""
        return self.everything or year in self.years or any(y == year for y, _ in self.programs)

    def touches_comparison(self, a: int, b: int) -> bool:
        """Whether a comparison of years ``a`` and ``b`` (either way round) may now come out differently."""
        return self.touches_year(a) or self.touches_year(b) or bool({(a, b), (b, a)} & self.links)

    def program_ids(self, year: int) -> frozenset[str]:
        """The 事業番号 of ``year`` whose texts changed (not counting whole years)."""
        return frozenset(pid for y, pid in self.programs if y == year)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    fiscal_year: int
    programs: int
    pages: int
    warnings: tuple[str, ...]
    file_name: str
    sha256: str
    replaced: bool
    dry_run: bool
    backup: str | None = None
    doubts: tuple[CellDoubt, ...] = ()  # stored as read because the caller accepted them
    cells_checked: int = 0

    @property
    def changes(self) -> Changes:
        return Changes() if self.dry_run else Changes(years=frozenset({self.fiscal_year}))


@dataclass(frozen=True, slots=True)
class ProgramChange:
    """The result of a mutation: the program after it and which fields changed."""

    program: Program
    changed_fields: tuple[str, ...]
    previous: dict[str, str] = field(default_factory=dict)

    @property
    def changes(self) -> Changes:
        if not self.changed_fields:
            return Changes()
        return Changes(programs=frozenset({(self.program.fiscal_year, self.program.program_id)}))


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    fiscal_year: int
    program_id: str
    field: str
    old: str | None
    new: str | None
    at: datetime
    user: str
    how: str
    revision: int
    source: str | None = None
    """Where the new text came from, e.g. a 課's returned workbook: 「令和7年度_事務事業_○○課.xlsx（2026-11-30）」."""


@dataclass(frozen=True, slots=True)
class ProgramLink:
    """A manual match between two years for a renumbered or merged program."""

    id: int
    from_year: int
    from_program_id: str
    to_year: int
    to_program_id: str
    note: str

    @property
    def changes(self) -> Changes:
        return Changes(links=frozenset({(self.from_year, self.to_year)}))
