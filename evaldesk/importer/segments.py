"""Header text as runs of characters on one line (segments), and the label spelling they are compared in."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

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


def page_segments(chars: Iterable[Char], *, max_bottom: float | None = None) -> list[Segment]:
    """Group characters into lines by their vertical centre, then split lines at wide gaps."""
    rows: list[list[Char]] = []
    last_cy = -1e9
    for ch in sorted(chars, key=lambda c: c.cy):
        if max_bottom is not None and ch.top > max_bottom:
            break
        if rows and ch.cy - last_cy <= 0.45 * ch.size:
            rows[-1].append(ch)
        else:
            rows.append([ch])
            last_cy = ch.cy
    segments: list[Segment] = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        run: list[Char] = []
        for ch in row:
            if run and ch.x0 - run[-1].x1 > 0.8 * max(ch.size, run[-1].size):
                segments.append(segment(run))
                run = []
            run.append(ch)
        if run:
            segments.append(segment(run))
    return segments


def segment(run: list[Char]) -> Segment:
    text = "".join(c.text for c in run).strip()
    return Segment(
        text,
        run[0].x0,
        run[-1].x1,
        min(c.top for c in run),
        max(c.bottom for c in run),
        max(c.size for c in run),
        run,
    )
