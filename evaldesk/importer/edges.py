"""What a whole column shows about how its producer wraps: its wrap edge, left margin and habits."""

from __future__ import annotations

from collections.abc import Sequence

from evaldesk.importer.cells import FIT_SLACK, HANGING, Line
from evaldesk.importer.spaces import WordSpaces, between_words, fw_letter


def wrap_edge(lines: Sequence[Line]) -> float:
    """The right edge the producer wrapped this column at: the furthest line end, hanging marks aside.

    A line ending in a character that may not start a line (、。」ー small kana) may hang past the
    edge (report tools pull it onto the line it follows), so only the other lines measure it.
    """
    plain = [ln.x1 for ln in lines if ln.text and ln.text.rstrip(" \u3000")[-1:] not in HANGING]
    if plain:
        return max(plain)
    return max((ln.x1 for ln in lines), default=0.0)


def ruled_edge(
    lines: Sequence[Line], *, edge: float, left: float | None, rules: Sequence[float], limit: float
) -> float:
    """The wrap edge of a ruled, left-aligned column: its right rule less the padding seen on the left.

    Only when no line came within a few characters of it (every text short, every break hard): then the
    furthest line end is no wrap edge. Otherwise ``edge``, measured on the lines, is the finer one.
    """
    if left is None or not lines or not rules:
        return edge
    size = max(ln.size for ln in lines)
    before = [x for x in rules if left - 3 * size < x <= left]
    after = [x for x in rules if edge < x < limit]
    if not before or not after:
        return edge
    ruled = min(after) - (left - max(before))
    # Producers pad the right of a cell more than its left by up to a character (Excel): keep a margin.
    return ruled if ruled - edge > 2.5 * size else edge


def left_edge(lines: Sequence[Line]) -> float | None:
    """The left margin of a left-aligned column, or None when its lines are centred or scattered."""
    if not lines:
        return None
    left = min(ln.x0 for ln in lines)
    flush = sum(1 for ln in lines if ln.x0 - left < 0.3 * ln.size)
    return left if flush >= 0.6 * len(lines) else None


def breaks_inside_words(lines: Sequence[Line], *, edge: float) -> bool:
    """True when the producer wraps character by character, Latin words included (report tools).

    Office programs move a Latin word whole; a line that ends in a letter filled to the last
    character and followed by a line opening in lower case (「Tsukub」/「a」) shows the other kind.
    Twice in a column, so that a word that happens to end flush at the edge does not decide it.
    """
    seen = 0
    for prev, line in zip(lines, lines[1:], strict=False):
        last = prev.text[-1:]
        head = line.text[:1]
        if (
            last.isascii()
            and last.isalpha()
            and head.isascii()
            and head.islower()
            and prev.x1 + line.lead > edge - 0.1 * prev.size
        ):
            seen += 1
            if seen >= 2:
                return True
    return False


def reserves_hyphen(lines: Sequence[Line], *, edge: float, spaces: WordSpaces | None = None) -> bool:
    """True when the producer keeps room for a hyphen where it breaks inside a full-width Latin word.

    A CSS engine laid out by Pango (WeasyPrint) breaks 「Ｌｉｖ」/「ｉｎｇ」 only where the line
    could also hold a hyphen, so such a line ends short of the edge though the next letter would
    fit. Seen once in the document, a line before a full-width word that could have held its first
    letter but not a hyphen more is a wrap, not a paragraph's end. Not where the document prints the
    two pieces as two words (``spaces``): there the room held a U+3000 the producer did not print.
    """
    for prev, line in zip(lines, lines[1:], strict=False):
        last = prev.text.rstrip(" \u3000")[-1:]
        head = line.text[:1]
        short = prev.x1 < edge - 0.3 * prev.size
        if (
            fw_letter(last)
            and fw_letter(head)
            and short
            and prev.x1 + line.lead <= edge + FIT_SLACK * prev.size
        ):
            if line.top - prev.bottom < 0.8 * prev.size:
                if spaces is None or not between_words(prev.text, line.text, spaces):
                    return True
    return False


def splits_words_flush(lines: Sequence[Line], *, edge: float, spaces: WordSpaces | None = None) -> bool:
    """True when the producer breaks a full-width Latin word at a line it filled to the edge
    (「ＳＮ」/「Ｓや」): it keeps no room for a hyphen, so a line one letter short before such a word
    did not end for one (:func:`reserves_hyphen` is then no evidence of hyphenation)."""
    for prev, line in zip(lines, lines[1:], strict=False):
        if prev.spread or not fw_letter(prev.text[-1:]) or not fw_letter(line.text[:1]):
            continue
        if prev.reach >= edge - 0.3 * prev.size and line.top - prev.bottom < 0.8 * prev.size:
            if spaces is None or not between_words(prev.text, line.text, spaces):
                return True
    return False


def is_justified(lines: Sequence[Line]) -> bool:
    """True for a column set 両端揃え by a typesetter: many of its lines are spread to the edge."""
    spread = sum(1 for ln in lines if ln.spread)
    return spread >= 3 and spread >= 0.2 * len(lines)
