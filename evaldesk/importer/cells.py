"""Turn the printed lines of one cell into its text: soft wraps joined, hard breaks and bullets kept."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from evaldesk.importer.pdfchars import Char
from evaldesk.textnorm import fix_radicals

# A line starting with one of these begins a new paragraph even when the line above is full.
_BULLET_RE = re.compile(
    r"^(?:[・･※○●◎■□◆◇▲△▼▽★☆➢➤►▶→⇒【〔［\[]"
    r"|[①-⑳㉑-㉟㊱-㊿❶-❿➀-➉⑴-⒇⒈-⒛]"
    r"|[（(][0-9０-９一二三四五六七八九十ア-ンア-ン]{1,3}[）)]"
    r"|[0-9０-９]{1,2}[.．、)）](?![0-9０-９])"
    r"|[ア-ンア-ン][.．、)）]"
    r"|第[0-9０-９一二三四五六七八九十]+[条項号章節]"
    r")"
)
# Characters that may hang past the right margin or be pushed to the next line by line-breaking rules.
_TRAILING_PUNCT = set("、。，．,.」』）)】〕")
_SENTENCE_END = set("。．.！？!?）)」』】")
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")


@dataclass(slots=True)
class Line:
    """One printed line inside a column."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def make_line(chars: list[Char]) -> Line:
    """Join characters left to right; a gap between Latin letters is a word space the PDF did not print."""
    chars.sort(key=lambda c: c.x0)
    parts: list[str] = []
    prev: Char | None = None
    for ch in chars:
        if prev is not None:
            if ch.text == prev.text and abs(ch.x0 - prev.x0) < 0.2 * ch.size:
                continue  # the same glyph drawn twice (fake bold)
            gap = ch.x0 - prev.x1
            if (
                gap > 0.2 * ch.size
                and ch.text != " "
                and prev.text != " "
                and _ASCII_WORD.match(ch.text)
                and _ASCII_WORD.match(prev.text)
            ):
                parts.append(" ")
        parts.append(ch.text)
        prev = ch
    text = "".join(parts)
    if not text.strip():
        text = ""
    return Line(
        text,
        chars[0].x0,
        chars[-1].x1,
        min(c.top for c in chars),
        max(c.bottom for c in chars),
        max(c.size for c in chars),
    )


def wrap_edge(lines: Sequence[Line]) -> float:
    """The right edge the producer wrapped this column at: the furthest line end, hanging marks aside."""
    plain = [ln.x1 for ln in lines if ln.text and ln.text.rstrip(" ")[-1:] not in _TRAILING_PUNCT]
    if plain:
        return max(plain)
    return max((ln.x1 for ln in lines), default=0.0)


def starts_paragraph(text: str) -> bool:
    return bool(_BULLET_RE.match(text))


def cell_text(lines: Sequence[Line], *, edge: float) -> str:
    """The text of a cell whose lines are given top to bottom and whose column wraps at ``edge``."""
    parts: list[str] = []
    prev: Line | None = None
    for line in lines:
        if not line.text:
            continue
        if prev is not None:
            joint = _joiner(prev, line, edge)
            if joint:
                parts[-1] = parts[-1].rstrip(" ")
            parts.append(joint)
            parts.append(line.text.lstrip(" ") if joint else line.text)
        else:
            parts.append(line.text.lstrip(" "))
        prev = line
    if parts:
        parts[-1] = parts[-1].rstrip(" ")
    return fix_radicals("".join(parts))


def _joiner(prev: Line, line: Line, edge: float) -> str:
    # A soft wrap leaves less than one character free; line-breaking rules may push one more.
    full = prev.x1 >= edge - 1.3 * prev.size
    if starts_paragraph(line.text.lstrip(" ")):
        # 「・」 after a full line that stops mid-phrase is a word joiner (整備・見直し), not a bullet.
        if (
            full
            and line.text.lstrip(" ")[:1] in ("・", "･")
            and prev.text.rstrip(" ")[-1:] not in _SENTENCE_END
        ):
            return ""
        return "\n"
    return "" if full else "\n"
