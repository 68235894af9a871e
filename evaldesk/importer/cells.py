"""Turn the printed lines of one cell into its text: soft wraps joined, hard breaks and bullets kept."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

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
# Japanese line-breaking rules (kinsoku): these may not start / end a line, so a neighbour moves too.
_NO_LINE_START = set("、。，．,.」』）)】〕ー～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々！？!?・：；")
_NO_LINE_END = set("「『（(【〔［")
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
    lead: float = 0.0  # width of the first character, plus the second when rules forbid a break there
    word: float = 0.0  # width of the leading Latin word, which a word processor moves as a whole

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
            if ch.text != " " and prev.text != " ":
                latin = bool(_ASCII_WORD.match(ch.text) and _ASCII_WORD.match(prev.text))
                # PDFium reports some printed spaces only as a gap (a space drawn in another font run).
                if (gap > 0.2 * ch.size and latin) or 0.3 * ch.size < gap < 0.75 * ch.size:
                    parts.append(" ")
                elif 0.75 * ch.size <= gap < 3.5 * ch.size and not latin:
                    parts.append("\u3000" * round(gap / ch.size))
        parts.append(ch.text)
        prev = ch
    text = "".join(parts)
    if not text.strip():
        text = ""
    printed = [c for c in chars if c.text != " "]
    lead = 0.0
    if printed:
        lead = printed[0].x1 - printed[0].x0
        if len(printed) > 1 and (printed[1].text in _NO_LINE_START or printed[0].text in _NO_LINE_END):
            lead += printed[1].x1 - printed[1].x0
    word = 0.0
    if printed and printed[0].text.isascii():
        end = printed[0]
        for ch in printed:
            if not ch.text.isascii() or ch.text == " " or ch.x0 - end.x1 > 0.2 * ch.size:
                break
            end = ch
        word = end.x1 - printed[0].x0
    return Line(
        text,
        chars[0].x0,
        chars[-1].x1,
        min(c.top for c in chars),
        max(c.bottom for c in chars),
        max(c.size for c in chars),
        lead,
        word,
    )


def wrap_edge(lines: Sequence[Line]) -> float:
    """The right edge the producer wrapped this column at: the furthest line end, hanging marks aside."""
    plain = [ln.x1 for ln in lines if ln.text and ln.text.rstrip(" ")[-1:] not in _TRAILING_PUNCT]
    if plain:
        return max(plain)
    return max((ln.x1 for ln in lines), default=0.0)


def left_edge(lines: Sequence[Line]) -> float | None:
    """The left margin of a left-aligned column, or None when its lines are centred or scattered."""
    if not lines:
        return None
    left = min(ln.x0 for ln in lines)
    flush = sum(1 for ln in lines if ln.x0 - left < 0.3 * ln.size)
    return left if flush >= 0.6 * len(lines) else None


def starts_paragraph(text: str) -> bool:
    return bool(_BULLET_RE.match(text))


def cell_text(lines: Sequence[Line], *, edge: float, left: float | None = None) -> str:
    """The text of a cell whose lines are given top to bottom and whose column wraps at ``edge``.

    ``left`` is the column's left margin when it is left-aligned: a line indented from it starts with
    ideographic spaces PDFium did not report.
    """
    parts: list[str] = []
    prev: Line | None = None
    for line in lines:
        if not line.text:
            continue
        if left is not None:
            indent = round((line.x0 - left) / line.size)
            if 1 <= indent <= 3 and not line.text.startswith("\u3000"):
                line = replace(
                    line, text="\u3000" * indent + line.text, x0=left, lead=line.lead + line.x0 - left
                )
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
    # A soft wrap happens because the next line's first character (with its kinsoku partner) did not fit.
    full = prev.x1 >= edge - 0.25 * prev.size or prev.x1 + line.lead > edge + 0.05 * prev.size
    if starts_paragraph(line.text.lstrip(" ")):
        # 「・」 after a full line that stops mid-phrase is a word joiner (整備・見直し), not a bullet.
        if (
            full
            and line.text.lstrip(" ")[:1] in ("・", "･")
            and prev.text.rstrip(" ")[-1:] not in _SENTENCE_END
        ):
            return ""
        return "\n"
    if full:
        return ""
    last = prev.text.rstrip(" ")[-1:]
    if line.word and last.isascii() and last.isalnum() and prev.x1 + 0.25 * prev.size + line.word > edge:
        return " "  # a Latin word wrap: the next word did not fit after a space
    return "\n"
