"""Header text as runs of characters on one line (segments), and the label spelling they are compared in."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from evaldesk.importer.pdfchars import Char

MAX_STACK = 7  # lines one header label may be wrapped over


def norm_label(text: str) -> str:
    """Width-, case- and space-insensitive form of a header label."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s・･:：]", "", folded).replace("・", "")


@dataclass(slots=True)
class Segment:
    """A run of characters on one line with no wide gap inside."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    chars: list[Char]

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


_BY_CY = attrgetter("cy")
_BY_X0 = attrgetter("x0")


def page_segments(chars: Iterable[Char], *, max_bottom: float | None = None) -> list[Segment]:
    """Group characters into lines by their vertical centre, then split lines at wide gaps."""
    rows: list[list[Char]] = []
    last_cy = -1e9
    for ch in sorted(chars, key=_BY_CY):
        if max_bottom is not None and ch.top > max_bottom:
            break
        cy = ch.cy
        if rows and cy - last_cy <= 0.45 * ch.size:
            rows[-1].append(ch)
        else:
            rows.append([ch])
            last_cy = cy
    segments: list[Segment] = []
    for row in rows:
        row.sort(key=_BY_X0)
        run: list[Char] = [row[0]]
        prev = row[0]
        for ch in row[1:]:
            size, prev_size = ch.size, prev.size
            if ch.x0 - prev.x1 > 0.8 * (prev_size if prev_size > size else size):
                segments.append(segment(run))
                run = []
            run.append(ch)
            prev = ch
        segments.append(segment(run))
    return segments


def segment(run: list[Char]) -> Segment:
    text = "".join([c.text for c in run]).strip()
    return Segment(
        text,
        run[0].x0,
        run[-1].x1,
        min([c.top for c in run]),
        max([c.bottom for c in run]),
        max([c.size for c in run]),
        run,
    )
