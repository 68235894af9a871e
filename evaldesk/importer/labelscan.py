"""Ruling a text out as a header label at a glance, without normalizing it: the row checks ask
whether any line or end of every cell is a label, and nearly every one is ruled out here."""

from __future__ import annotations

import re

from evaldesk.importer.header import label_chars

# All that NFKC turns into a voicing mark, the only thing NFKC joins to a kana.
VOICING_RE = re.compile("[\u3099\u309a\u309b\u309c\uff9e\uff9f]")


def foreign_re(other_labels: str) -> re.Pattern[str]:
    """Kana and kanji that occur in no label (those :func:`~.header.field_for` knows, and the
    characters of ``other_labels``).

    NFKC and case folding leave kana and kanji as they are, and join none of them with a neighbour
    save a kana with a voicing mark after it: a text holding one of these (and nothing VOICING_RE
    finds) is no label whatever it is normalized to.
    """
    keep = {ord(c) for c in label_chars() | set(other_labels)}
    parts: list[str] = []
    for lo, hi in ((0x3041, 0x3096), (0x30A1, 0x30FA), (0x3400, 0x4DBF), (0x4E00, 0x9FFF)):
        start = lo
        for o in [*sorted(k for k in keep if lo <= k <= hi), hi + 1]:
            if o > start:
                parts.append(f"{chr(start)}-{chr(o - 1)}")
            start = o + 1
    return re.compile("[" + "".join(parts) + "]")
