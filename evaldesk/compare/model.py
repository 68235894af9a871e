"""Frozen results of a year-over-year comparison: entries, diff spans and figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from evaldesk.records import Program

EntryKind = Literal["added", "removed", "changed", "unchanged"]
ChangeKind = Literal["renamed", "moved", "text_changed"]
DiffOp = Literal["equal", "insert", "delete"]

CHANGE_KINDS: tuple[str, ...] = ("renamed", "moved", "text_changed")
"""The order in which the kinds of a change are listed."""

KIND_LABELS: dict[str, str] = {
    "added": "新規",
    "removed": "終了",
    "changed": "変更",
    "unchanged": "変更なし",
    "renamed": "名称変更",
    "moved": "所管変更",
    "text_changed": "内容変更",
}


@dataclass(frozen=True, slots=True)
class ProgramComparison:
    """One program across the two years: ``old`` is None when added, ``new`` is None when removed."""

    kind: EntryKind
    old: Program | None
    new: Program | None
    fields: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    linked: bool = False

    @property
    def program_id(self) -> str:
        """The 事業番号 in the newer year, else in the older one."""
        if self.new is not None:
            return self.new.program_id
        assert self.old is not None
        return self.old.program_id

    @property
    def renumbered(self) -> bool:
        """Matched through a manual link to a program with another 事業番号."""
        return self.old is not None and self.new is not None and self.old.program_id != self.new.program_id


@dataclass(frozen=True, slots=True)
class Comparison:
    """Every program of two fiscal years, matched; entries in 事業番号 order."""

    from_year: int
    to_year: int
    entries: tuple[ProgramComparison, ...]

    def _of(self, kind: EntryKind) -> tuple[ProgramComparison, ...]:
        return tuple(e for e in self.entries if e.kind == kind)

    @property
    def added(self) -> tuple[ProgramComparison, ...]:
        return self._of("added")

    @property
    def removed(self) -> tuple[ProgramComparison, ...]:
        return self._of("removed")

    @property
    def changed(self) -> tuple[ProgramComparison, ...]:
        return self._of("changed")

    @property
    def unchanged(self) -> tuple[ProgramComparison, ...]:
        return self._of("unchanged")

    @property
    def counts(self) -> dict[str, int]:
        """Number of entries of each kind, keys in the order added, removed, changed, unchanged."""
        counts = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
        for e in self.entries:
            counts[e.kind] += 1
        return counts


@dataclass(frozen=True, slots=True)
class DiffSpan:
    """A run of text that both versions share (equal), or that only the new (insert) or old (delete) has."""

    op: DiffOp
    text: str


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with its unit as printed (``raw``), its value, and a short label from the text before it."""

    label: str
    value: Decimal
    unit: str
    raw: str
    start: int = -1
    """Offset of ``raw`` in the text it was read from."""


@dataclass(frozen=True, slots=True)
class FigureChange:
    """The same figure in both years; a side is None when the figure appears in one year only."""

    label: str
    unit: str
    old: Figure | None
    new: Figure | None
    delta: Decimal | None

    def __str__(self) -> str:
        new = self.new.raw if self.new is not None else "なし"
        old = self.old.raw if self.old is not None else "なし"
        text = f"{new} ← {old}"
        if self.delta is not None:
            text += f" ({format_delta(self.delta)})"
        return text


def format_delta(delta: Decimal) -> str:
    """+107, -1,234, +3.5, ±0: half-width, signed, thousands separated."""
    if delta == 0:
        return "±0"
    return f"{delta.normalize() if delta != delta.to_integral_value() else delta.to_integral_value():+,}"
