"""事業番号 order: numbers as numbers, whatever their width ("2" < "10" < "10-2" < "１５" < "A1")."""

from __future__ import annotations

import re
import unicodedata

_DIGITS = re.compile(r"(\d+)")


def program_id_key(program_id: str) -> tuple[tuple[int, int | str], ...]:
    """Numeric-aware sort key for 事業番号: "2" < "10" < "10-2" < "A1"."""
    text = unicodedata.normalize("NFKC", program_id)
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(text) if part != ""
    )
