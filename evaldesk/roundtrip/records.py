"""Plain frozen records of the revision round: sends, per-部署 state, the review of returned workbooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from evaldesk.records import Changes

EDITABLE_FIELDS: tuple[str, ...] = ("name", "purpose", "overview", "outcome")
"""What a 課 may revise in its workbook; 事業番号 and 部署名 are locked."""

DEFAULT_LIMITS: dict[str, int] = {"purpose": 200, "overview": 400, "outcome": 400}
"""Characters per text, shown in the workbook and checked by an Excel length validation."""

ROUND_STATES: tuple[str, ...] = ("unsent", "sent", "collected", "accepted")
STATE_LABELS: dict[str, str] = {
    "unsent": "未送付",
    "sent": "送付済",
    "collected": "回収済",
    "accepted": "取込済",
}

FieldKey = tuple[str, str, str]
"""(部署名 of the workbook, 事業番号, field): one reviewed cell."""


@dataclass(frozen=True, slots=True)
class SentWorkbook:
    """One workbook written by a send: whose, where, how many programs, the record's id."""

    fiscal_year: int
    department: str
    path: Path
    programs: int
    send_id: int
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class DepartmentRound:
    """Where one 部署 stands in a year's round, with the date of each step reached."""

    fiscal_year: int
    department: str
    programs: int
    state: str
    sent_at: datetime | None = None
    collected_at: datetime | None = None
    accepted_at: datetime | None = None
    due: date | None = None
    file_name: str = ""

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def state_date(self) -> datetime | None:
        return {"sent": self.sent_at, "collected": self.collected_at, "accepted": self.accepted_at}.get(
            self.state
        )


@dataclass(frozen=True, slots=True)
class FieldReview:
    """One program text as sent, as returned by the 課, and as stored now.

    ``state``: ``unchanged``; ``changed`` (by the 課); ``local`` (changed in evaldesk since sending,
    the 課 left it); ``conflict`` (both changed, differently).
    """

    department: str
    program_id: str
    field: str
    state: str
    sent: str
    returned: str
    current: str
    limit: int | None = None

    @property
    def key(self) -> FieldKey:
        return (self.department, self.program_id, self.field)

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and len(self.returned) > self.limit

    @property
    def takes_returned(self) -> bool:
        """True when accepting it would store something: the 課 changed it (alone or in conflict)."""
        return self.state in ("changed", "conflict")


@dataclass(frozen=True, slots=True)
class ProgramReview:
    program_id: str
    name: str
    sent_revision: int
    current_revision: int
    fields: tuple[FieldReview, ...]
    comment: str = ""

    @property
    def changes(self) -> tuple[FieldReview, ...]:
        return tuple(f for f in self.fields if f.takes_returned)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A row the 課 added for a new program: shown, never stored silently."""

    department: str
    row: int
    program_id: str
    name: str
    purpose: str
    overview: str
    outcome: str
    comment: str


@dataclass(frozen=True, slots=True)
class WorkbookReview:
    """What one returned workbook holds compared with the send and the database."""

    path: Path
    fiscal_year: int
    department: str
    sent_at: datetime
    saved_at: datetime
    programs: tuple[ProgramReview, ...]
    proposals: tuple[Proposal, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def source(self) -> str:
        """How the history names it: the file and the date it was saved by the 課."""
        return f"{self.file_name}（{self.saved_at:%Y-%m-%d}）"

    @property
    def changes(self) -> tuple[FieldReview, ...]:
        return tuple(f for p in self.programs for f in p.changes)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A returned file that could not be taken, with its one sentence."""

    path: Path
    message: str
    kind: str


@dataclass(frozen=True, slots=True)
class Review:
    fiscal_year: int
    workbooks: tuple[WorkbookReview, ...]
    refused: tuple[Refusal, ...] = ()

    @property
    def changes(self) -> tuple[FieldReview, ...]:
        return tuple(f for w in self.workbooks for f in w.changes)

    def field(self, key: FieldKey) -> FieldReview:
        for w in self.workbooks:
            if w.department == key[0]:
                for p in w.programs:
                    if p.program_id == key[1]:
                        for f in p.fields:
                            if f.field == key[2]:
                                return f
        raise KeyError(key)


@dataclass(frozen=True, slots=True)
class AcceptResult:
    """What accepting stored: per program the fields saved; the programs refused as stale."""

    stored: tuple[FieldKey, ...]
    rejected: tuple[FieldKey, ...]
    stale: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    fiscal_year: int = 0

    @property
    def changes(self) -> Changes:
        """The programs whose texts were stored, for every view that shows them."""
        return Changes(programs=frozenset((self.fiscal_year, key[1]) for key in self.stored))
