"""The hidden sheet: what was sent (year, 部署, per program its revision and a hash of each text),
sealed by a digest over all of it so any change to the sheet is noticed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from evaldesk.records import TEXT_FIELDS

SHEET = "evaldesk"
MAGIC = "evaldesk-roundtrip"
VERSION = "1"
_KEYS = ("fiscal_year", "department", "sent_at", "sent_by", "due", "return_to", "limits", "nonce")
_PROGRAM_HEADER = ("program_id", "row", "revision", *TEXT_FIELDS)


def clean(text: str) -> str:
    """A text the way a workbook cell keeps it: no control characters Excel refuses, LF line breaks."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def text_hash(text: str) -> str:
    return hashlib.sha256(clean(text).encode("utf-8")).hexdigest()[:32]


def cell_text(value: object) -> str:
    """A cell's value as text; numbers typed by hand come back as numbers (12.0 -> "12")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return clean(str(value))


@dataclass(frozen=True, slots=True)
class SentProgram:
    program_id: str
    row: int
    revision: int
    hashes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Meta:
    fiscal_year: int
    department: str
    sent_at: datetime
    sent_by: str
    due: date | None
    return_to: str
    limits: dict[str, int]
    nonce: str
    programs: tuple[SentProgram, ...]

    def header_values(self) -> dict[str, str]:
        return {
            "fiscal_year": str(self.fiscal_year),
            "department": self.department,
            "sent_at": self.sent_at.isoformat(),
            "sent_by": self.sent_by,
            "due": self.due.isoformat() if self.due else "",
            "return_to": self.return_to,
            "limits": json.dumps(self.limits, sort_keys=True),
            "nonce": self.nonce,
        }

    def program_rows(self) -> list[list[str]]:
        return [
            [p.program_id, str(p.row), str(p.revision), *(p.hashes[f] for f in TEXT_FIELDS)]
            for p in self.programs
        ]

    def digest(self) -> str:
        return _digest(self.header_values(), self.program_rows())


def _digest(header: dict[str, str], rows: Sequence[Sequence[str]]) -> str:
    payload = json.dumps([MAGIC, VERSION, header, [list(r) for r in rows]], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def sheet_rows(meta: Meta) -> list[list[str]]:
    """The hidden sheet's cells, row by row; all text so no spreadsheet turns them into numbers."""
    header = meta.header_values()
    rows: list[list[str]] = [[MAGIC, VERSION]]
    rows += [[k, header[k]] for k in _KEYS]
    rows.append(["digest", meta.digest()])
    rows.append(list(_PROGRAM_HEADER))
    rows += meta.program_rows()
    return rows


class MetaFormatError(ValueError):
    """The hidden sheet is not in the shape evaldesk wrote (the caller names the file)."""


class MetaDigestError(ValueError):
    """The hidden sheet was edited: its digest no longer fits its content."""


def parse_rows(values: Iterable[Sequence[Any]]) -> Meta:
    rows = [[cell_text(v) for v in r] for r in values]
    rows = [r for r in rows if any(r)]
    n = len(_KEYS)
    if len(rows) < n + 3 or rows[0][:2] != [MAGIC, VERSION]:
        raise MetaFormatError("not an evaldesk sheet")
    header: dict[str, str] = {}
    for r in rows[1 : n + 1]:
        r = (r + ["", ""])[:2]  # an empty value ("due" not set) is no cell at all once Excel saved it
        if r[0] not in _KEYS:
            raise MetaFormatError("unknown key")
        header[r[0]] = r[1]
    if set(header) != set(_KEYS) or rows[n + 1][:1] != ["digest"] or len(rows[n + 1]) < 2:
        raise MetaFormatError("keys missing")
    digest = rows[n + 1][1]
    width = len(_PROGRAM_HEADER)
    body = [(r + [""] * width)[:width] for r in rows[n + 3 :]]
    if _digest(header, body) != digest:
        raise MetaDigestError("digest mismatch")
    try:
        return Meta(
            fiscal_year=int(header["fiscal_year"]),
            department=header["department"],
            sent_at=datetime.fromisoformat(header["sent_at"]),
            sent_by=header["sent_by"],
            due=date.fromisoformat(header["due"]) if header["due"] else None,
            return_to=header["return_to"],
            limits={str(k): int(v) for k, v in json.loads(header["limits"]).items()},
            nonce=header["nonce"],
            programs=tuple(
                SentProgram(
                    program_id=r[0],
                    row=int(r[1]),
                    revision=int(r[2]),
                    hashes=dict(zip(TEXT_FIELDS, r[3:], strict=True)),
                )
                for r in body
            ),
        )
    except (ValueError, TypeError, AttributeError) as exc:
        raise MetaFormatError(str(exc)) from exc
