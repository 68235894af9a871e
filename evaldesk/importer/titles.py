"""The fiscal year a table's titles name: one per PDF."""

from __future__ import annotations

from collections.abc import Sequence

from evaldesk.errors import MixedYearsError
from evaldesk.fiscal_year import era_label, year_from_title


def check_titles(name: str, titles: Sequence[tuple[int, str | None]]) -> int | None:
    """The one fiscal year the tables' titles name (None when none does); refuse two different ones."""
    seen: dict[int, tuple[int, str]] = {}
    for page, title in titles:
        year = year_from_title(title) if title else None
        if year is not None and year not in seen:
            seen[year] = (page, title or "")
    if len(seen) > 1:
        (y1, (p1, t1)), (y2, (p2, t2)) = sorted(seen.items(), key=lambda kv: kv[1][0])[:2]
        raise MixedYearsError(
            f"「{name}」には年度の違う表があります（{p1 + 1} ページ目「{t1}」＝{era_label(y1)}、"
            f"{p2 + 1} ページ目「{t2}」＝{era_label(y2)}）。1 つの年度を 1 つの PDF にしてから取り込んでください。",
            path=name,
        )
    return next(iter(seen), None)
