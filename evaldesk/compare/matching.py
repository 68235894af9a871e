"""Match the programs of two years by 事業番号 and manual links, and say what changed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from evaldesk.compare.model import Comparison, EntryKind, ProgramComparison
from evaldesk.program_ids import program_id_key
from evaldesk.records import TEXT_FIELDS, Program, ProgramLink

_WHITESPACE = re.compile(r"\s+")

_FIELD_KIND: dict[str, str] = {
    "name": "renamed",
    "department": "moved",
    "purpose": "text_changed",
    "overview": "text_changed",
    "outcome": "text_changed",
}


def comparable_text(text: str) -> str:
    """The text with all whitespace removed: what two years must share to count as unchanged.

    Japanese has no spaces between words, and the same paragraph reads the same whether a line was
    broken, indented with a full-width space or left with trailing blanks; so a difference in
    whitespace alone (including a moved or removed "\\n") is not a change. Everything else —
    full-width vs half-width digits, punctuation — is compared exactly.
    """
    return _WHITESPACE.sub("", text)


def changed_fields(old: Program, new: Program) -> tuple[str, ...]:
    """The text fields whose comparable text differs, in the order of TEXT_FIELDS."""
    return tuple(f for f in TEXT_FIELDS if comparable_text(old.text(f)) != comparable_text(new.text(f)))


def change_kinds(fields: Sequence[str]) -> tuple[str, ...]:
    kinds = {_FIELD_KIND[f] for f in fields}
    return tuple(k for k in ("renamed", "moved", "text_changed") if k in kinds)


def _pair(old: Program, new: Program, *, linked: bool) -> ProgramComparison:
    fields = changed_fields(old, new)
    kind: EntryKind = "changed" if fields else "unchanged"
    return ProgramComparison(kind, old, new, fields, change_kinds(fields), linked)


def _year_of(programs: Sequence[Program], given: int | None, side: str) -> int:
    if given is not None:
        return given
    years = {p.fiscal_year for p in programs}
    if len(years) == 1:
        return years.pop()
    if not years:
        return 0
    raise ValueError(f"the {side} programs span several fiscal years: {sorted(years)}")


def compare_years(
    old: Sequence[Program],
    new: Sequence[Program],
    *,
    links: Sequence[ProgramLink] = (),
    from_year: int | None = None,
    to_year: int | None = None,
) -> Comparison:
    """Match ``old`` (the earlier year) to ``new`` and classify every program.

    Programs are matched by 事業番号. A manual link overrides that: an old program that has links is
    matched only to its link targets (renumbered, or merged when several old programs link to one new
    one), so a new program that merely reuses its number counts as added. An old program without
    links is matched by number, even when its counterpart is also the target of someone else's link
    (the absorbing side of a merger). Links naming a program missing from either year are ignored;
    links given the other way round (new year → old year) are accepted.

    The years come from the programs (or ``from_year``/``to_year`` when a side may be empty).
    No., revision and updated_at are never compared.
    """
    year_a = _year_of(old, from_year, "old")
    year_b = _year_of(new, to_year, "new")
    old_by_id = {p.program_id: p for p in old}
    new_by_id = {p.program_id: p for p in new}

    link_targets: dict[str, list[str]] = {}
    for link in links:
        if (link.from_year, link.to_year) == (year_a, year_b):
            a, b = link.from_program_id, link.to_program_id
        elif (link.from_year, link.to_year) == (year_b, year_a):
            a, b = link.to_program_id, link.from_program_id
        else:
            continue
        if a in old_by_id and b in new_by_id and b not in link_targets.get(a, []):
            link_targets.setdefault(a, []).append(b)

    entries: list[ProgramComparison] = []
    matched_new: set[str] = set()
    for old_id, prog in old_by_id.items():
        targets = link_targets.get(old_id)
        if targets:
            for new_id in targets:
                entries.append(_pair(prog, new_by_id[new_id], linked=True))
                matched_new.add(new_id)
        elif old_id in new_by_id:
            entries.append(_pair(prog, new_by_id[old_id], linked=False))
            matched_new.add(old_id)
        else:
            entries.append(ProgramComparison("removed", prog, None))
    for new_id, prog in new_by_id.items():
        if new_id not in matched_new:
            entries.append(ProgramComparison("added", None, prog))

    def order(e: ProgramComparison) -> tuple[object, ...]:
        old_key = program_id_key(e.old.program_id) if e.old is not None else ()
        return (program_id_key(e.program_id), old_key)

    entries.sort(key=order)
    return Comparison(year_a, year_b, tuple(entries))
