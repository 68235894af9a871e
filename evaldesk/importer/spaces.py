"""Ideographic spaces a line breaker swallowed where it wrapped: what the page shows about them.

Word processors and report tools (Writer, reportlab Platypus) print no U+3000 where a line wraps at
one: 「Ｔｉｐｓ\u3000ｆｏｒ」 comes out as 「Ｔｉｐｓ」 / 「ｆｏｒ」, the space neither at the end of the
first line nor at the start of the second. Two kinds of evidence restore it:

* the document itself: full-width Latin words are printed whole, and the same two words printed
  elsewhere on one line with a U+3000 between them (and never run together) are two words;
* the room the wrap left: a line one em short of the wrap edge before a line whose first unit would
  have fitted there wrapped because something one em wide took that room and was not printed. Before
  a figure (「参加\u3000１回」, 「実施回数\u3000５６回」) that is the ideographic space Japanese tables
  put between a label and its count; a paragraph ending exactly one em short is rarer than that.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evaldesk.importer.cells import Line

_FW = "\uff21-\uff3a\uff41-\uff5a"
_ANY = re.compile(f"[{_FW}]")
_RUN_END = re.compile(f"[{_FW}]+$")
_RUN_START = re.compile(f"^[{_FW}]+")
# Two full-width words with ideographic spaces between them, found overlapping (ａ\u3000ｂ\u3000ｃ: two pairs).
_PAIR = re.compile(f"(?<![{_FW}])(?=([{_FW}]+)(\u3000+)([{_FW}]+))")
_WORD = re.compile(f"(?<![{_FW}])[{_FW}]+(?![{_FW}])")
_DIGITS = set("0123456789０１２３４５６７８９")


@dataclass(frozen=True, slots=True)
class WordSpaces:
    """Pairs of full-width words the document prints on one line with U+3000 between (and how many),
    and the full-width words it prints whole inside a line (neither at its start nor at its end)."""

    pairs: dict[tuple[str, str], int] = field(default_factory=dict)
    words: frozenset[str] = frozenset()


def word_spaces(texts: Iterable[str]) -> WordSpaces:
    """Read the document's printed lines for :class:`WordSpaces`."""
    pairs: dict[tuple[str, str], int] = {}
    words: set[str] = set()
    for text in texts:
        if _ANY.search(text) is None:
            continue  # most lines: no full-width letter at all
        end = len(text.rstrip(" \u3000"))
        for m in _PAIR.finditer(text):
            # A word at either end of the line may be part of one wrapped there: it is matched only
            # with a wrap whose pieces are exactly these, which a whole word would not be.
            pairs.setdefault((m.group(1), m.group(3)), len(m.group(2)))
        for m in _WORD.finditer(text):
            if m.start() > 0 and m.end() < end:
                words.add(m.group())
    return WordSpaces(pairs, frozenset(words))


def between_words(before: str, after: str, spaces: WordSpaces) -> str:
    """The U+3000 the document prints between the full-width word ending ``before`` and the one
    starting ``after``, or "" when it does not show them as two words."""
    before = before.rstrip(" ")
    if not spaces.pairs or not _ANY.match(before[-1:]) or not _ANY.match(after.lstrip(" ")[:1]):
        return ""  # most wraps: not between two full-width letters
    tail = _RUN_END.search(before)
    head = _RUN_START.match(after.lstrip(" "))
    if tail is None or head is None:
        return ""
    n = spaces.pairs.get((tail.group(), head.group()), 0)
    if not n or tail.group() + head.group() in spaces.words:
        return ""
    return "\u3000" * n


def before_count(before: str, after: str) -> bool:
    """A label word ending ``before`` and a figure starting ``after``: where one em of room was left
    between them at a wrap, the room held an ideographic space (the caller checks the room)."""
    last = before.rstrip(" ")[-1:]
    head = after.lstrip(" ")[:1]
    if not last or head not in _DIGITS:
        return False
    # A label is a noun: it ends in a kanji or katakana (参加, 件数, コース), not in a particle.
    return unicodedata.name(last, "").startswith(("CJK UNIFIED", "KATAKANA"))


def fw_letter(ch: str) -> bool:
    """A full-width Latin letter (Ａ-Ｚ, ａ-ｚ): line breakers that hyphenate treat a run of them as a word."""
    return bool(ch) and ("\uff21" <= ch <= "\uff3a" or "\uff41" <= ch <= "\uff5a")


def swallowed(
    prev: Line,
    line: Line,
    edge: float,
    joint: str,
    spaces: WordSpaces | None,
    *,
    hyphens: bool,
    item: bool,
    slack: float,
) -> str:
    """``joint`` (the reading of the wrap between ``prev`` and ``line``), or the ideographic space the
    producer did not print there. ``hyphens``: the producer keeps room for a hyphen inside full-width
    words; ``item``: ``line`` opens with a list mark or item number; ``slack``: how far a unit may
    reach past ``edge`` and still count as fitting."""
    room = edge - prev.reach
    # One em of room that the next line's first unit would have used: something took it, unprinted.
    em_room = room >= 0.9 * prev.size and line.unit <= room + slack
    if joint == "" or (joint == "\n" and em_room):
        between = between_words(prev.text, line.text, spaces) if spaces is not None else ""
        if between:
            return between
    if joint != "\n" or not em_room or room >= prev.size + line.unit:
        return joint
    if before_count(prev.text, line.text) and not item and figure_width(line) <= room + slack:
        return "\u3000"
    # Between two full-width words, where the producer keeps no room for a hyphen.
    if not hyphens and fw_letter(prev.text.rstrip(" ")[-1:]) and fw_letter(line.text.lstrip(" ")[:1]):
        return "\u3000"
    return joint


_FIGURE = re.compile(r"[0-9０-９][0-9０-９,，.．]*")


def figure_width(line: Line) -> float:
    """Width of the figure a line opens with: line breakers that keep a figure whole (「９００名」 in
    evaldesk's own export) move it to the next line when it does not fit, leaving room no space took."""
    figure = _FIGURE.match(line.text.lstrip(" "))
    if figure is None:
        return 0.0
    return sum(0.5 if ch.isascii() else 1.0 for ch in figure.group()) * line.size
