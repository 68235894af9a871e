"""Turn the printed lines of one cell into its text: soft wraps joined, hard breaks and bullets kept."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import attrgetter

from evaldesk.importer.pdfchars import Char
from evaldesk.importer.spaces import WordSpaces, fw_letter, swallowed
from evaldesk.importer.spacing import mostly_tight
from evaldesk.textnorm import fix_radicals

# Katakana that number list items (ア．イ．ウ．…), not voiced or small ones: 「ジ、」 is a word's end.
_KANA_ITEMS = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
# A line starting with one of these begins a new paragraph even when the line above is full.
_BULLET_RE = re.compile(
    r"^(?:"
    r"[・･※○●◎■□◆◇▲△▼▽★☆➢➤►▶→⇒【〔［\[]"
    r"|[①-⑳㉑-㉟㊱-㊿❶-❿➀-➉⑴-⒇⒈-⒛]"
    r"|[（(][0-9０-９一二三四五六七八九十" + _KANA_ITEMS + r"]{1,3}[）)]"
    r"|[0-9０-９]{1,2}[.．、)）](?![0-9０-９])"
    r"|[" + _KANA_ITEMS + r"][.．、)）]"
    r"|第[0-9０-９一二三四五六七八九十]+[条項号章節]"
    r")"
)
# Characters that may hang past the right margin or be pushed to the next line by line-breaking rules.
# An item number with its closing mark: 「３）」 may also close a bracket opened on the line above.
_ITEM_RE = re.compile(r"^(?:[0-9０-９]{1,2}|[" + _KANA_ITEMS + r"])[.．、)）]")
_TRAILING_PUNCT = set("、。，．,.」』）)】〕")
# Japanese line-breaking rules (kinsoku): these may not start / end a line, so a neighbour moves too.
# The union of the default sets of LibreOffice and Word (strict), which Calc and Excel share.
_NO_LINE_START = set(
    "、。，．,.」』）)】〕〉》］｝]}’”ー～〜ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ々ゝゞヽヾ゛゜"
    "！？!?・：；:;％%‰°′″℃￠¢｡｣､･ｧｨｩｪｫｬｭｮｯｰﾞﾟ…‥"
)
_NO_LINE_END = set("「『（(【〔［｛〈《‘“[{＄$￥¥￡£｢")
HANGING = _NO_LINE_START | _TRAILING_PUNCT
# Marks that open an item, first on their line, followed by a half-width space (「○ 事業費は」).
_MARKS = set("・･※○●◎■□◆◇▲△▼▽★☆➢➤►▶→⇒")
_SENTENCE_END = set("。．.！？!?）)」』】")
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")
# How far past the widest line end a unit may reach and still count as fitting (rounding of positions),
# in font sizes: a page shrunk to fit (or with a /UserUnit) shrinks a line's overflow with its text.
FIT_SLACK = 0.005
# The least room (in font sizes) a hyphenating line breaker keeps for the hyphen it may print.
_HYPHEN = 0.3


@dataclass(slots=True)
class Line:
    """One printed line inside a column."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    lead: float = 0.0  # width of the first character, plus the second when kinsoku binds them
    unit: float = 0.0  # width of the first unit an office program's line breaker moves as a whole
    word: float = 0.0  # width of the leading Latin word (0 when the line starts otherwise)
    reach: float = 0.0  # where the line ends counting trailing spaces, which may pass the cell edge
    spread: float = 0.0  # extra space shared by every letter gap: a justified line, filled to its edge
    even: bool = False  # every letter gap widened, if only slightly: a justified line with little slack

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


_BY_X0 = attrgetter("x0")


def _full_widths(chars: list[Char]) -> list[Char]:
    """Full-width letters and figures as wide as their em box where PDFium gave only the ink.

    For glyphs inside a tagged span (/ActualText, as some producers tag every figure) PDFium gives
    the ink box, not the advance: 「１」 then spans a fifth of its cell and the gaps on both sides of
    it read as spaces. Such a glyph is put back in an em box around its ink. A narrow glyph that
    touches a neighbour is a proportional font's (palt), and keeps its box.
    """
    out = list(chars)
    for i, ch in enumerate(chars):
        if ch.text.isascii() or ch.x1 - ch.x0 >= 0.7 * ch.size:
            continue
        if unicodedata.east_asian_width(ch.text) not in ("F", "W"):
            continue
        if unicodedata.category(ch.text)[0] not in "LN":
            continue
        touch = 0.05 * ch.size
        left = ch.x0 - chars[i - 1].x1 if i else None
        right = chars[i + 1].x0 - ch.x1 if i + 1 < len(chars) else None
        if (left is not None and left < touch) or (right is not None and right < touch):
            continue
        # Side bearings alike on both sides: no wider than the gap to a neighbour (a proportional
        # figure 「４」 set close to 「を」 is narrower than an em, and so ends sooner).
        bearing = min(g for g in ((ch.size - (ch.x1 - ch.x0)) / 2, left, right) if g is not None)
        out[i] = Char(ch.text, ch.x0 - bearing, ch.x1 + bearing, ch.top, ch.bottom, ch.size)
    return out


def _gaps(chars: Sequence[Char]) -> list[float]:
    """The gaps between neighbouring printed characters of a line, smallest first."""
    return sorted([b.x0 - a.x1 for a, b in zip(chars, chars[1:], strict=False) if a.text != " " != b.text])


def _letter_spacing(gaps: Sequence[float], size: float) -> float:
    """The even extra space of a line set flush by spreading its letters (両端揃え after a kinsoku
    push, 均等割り付け): gaps that every letter shares are spacing, not spaces the PDF left out."""
    if len(gaps) < 2:
        return 0.0
    if len(gaps) < 4:
        # Three or four letters spread over a narrow cell (「ロ　モ　ー」 after a kinsoku push): gaps
        # all alike and no whole number of ems, which runs of ideographic spaces would be. Counted
        # over the line: three gaps of 0.89 em are 0.33 em off, where one is only 0.11 em off; Qt
        # spreads 支援事業 by three gaps of 0.98 em, 0.06 off; a jump over ideographic spaces is exact.
        alike = gaps[-1] - gaps[0] < 0.05 * size
        ems = gaps[0] / size
        off = abs(ems - round(ems)) * len(gaps)
        return gaps[0] if alike and gaps[0] > 0.3 * size and off > 0.04 else 0.0
    low = gaps[len(gaps) // 4]  # most gaps of a spread line are alike; a true space is the exception
    return low if low > 0.1 * size else 0.0


def _justified(gaps: Sequence[float], size: float) -> float:
    """The letter spacing of a line spread to fill its cell (両端揃え by a typesetter), or 0.

    Office programs and CSS engines leave no gap between the boxes of an unjustified line; a line
    whose every gap is widened alike was filled to the edge, so it is no paragraph's last line.
    """
    if len(gaps) < 4:
        return 0.0
    low = gaps[len(gaps) // 4]
    return low if low > 0.03 * size else 0.0


def _evenly_spaced(gaps: Sequence[float], size: float) -> bool:
    return len(gaps) >= 4 and gaps[0] > 0.012 * size


def make_line(chars: list[Char]) -> Line:
    """Join characters left to right; a gap between Latin letters is a word space the PDF did not print."""
    chars.sort(key=_BY_X0)
    chars[:] = _full_widths(chars)
    gaps = _gaps(chars)
    spread = _letter_spacing(gaps, chars[0].size)
    tight = mostly_tight([g - spread for g in gaps], chars[0].size)
    head = next((c for c in chars if c.text != " "), None)
    parts: list[str] = []
    prev: Char | None = None
    for ch in chars:
        if prev is not None:
            if ch.text == prev.text and abs(ch.x0 - prev.x0) < 0.2 * ch.size:
                continue  # the same glyph drawn twice (fake bold)
            gap = ch.x0 - prev.x1 - spread
            size = ch.size
            # (Nothing below applies to a gap this narrow: most gaps, looked at no further.)
            wide = gap > 0.2 * size or gap > 0.3 * size or gap >= 0.75 * size
            if wide and ch.text != " " and prev.text != " ":
                latin = bool(_ASCII_WORD.match(ch.text) and _ASCII_WORD.match(prev.text))
                # PDFium reports some printed spaces only as a gap (a space drawn in another font run).
                # Between two Japanese characters a gap narrower than a full-width space is the
                # producer's: justification (両端揃え) spreading a line, kerning, a glyph narrower than
                # its ActualText; Japanese text puts no half-width space there, save after a mark.
                mark = prev is head and prev.text in _MARKS
                spread_kana = not ch.text.isascii() and not prev.text.isascii() and not mark
                if (gap > 0.2 * ch.size and latin) or (
                    0.3 * ch.size < gap < 0.75 * ch.size and not spread_kana
                ):
                    parts.append(" ")
                elif (fw_letter(ch.text) and fw_letter(prev.text) and 0.2 * size < gap < size) or (
                    tight and 0.25 * size < gap < 0.75 * size
                ):  # the full-width space between full-width words (Ｔｉｐｓ　ｆｏｒ) or alone in a
                    parts.append("\u3000")  # line set solid, drawn (Qt) as a space's advance, no glyph
                elif gap >= 0.75 * ch.size and not latin:
                    # A run of ideographic spaces drawn as a jump (glyph by glyph, TJ kerning):
                    # one line of one cell, so the whole gap is space however wide.
                    parts.append("\u3000" * round(gap / ch.size))
        parts.append(ch.text)
        prev = ch
    text = "".join(parts)
    if not text.strip():
        text = ""
    printed = [c for c in chars if c.text != " "]
    if not printed:
        printed = chars
    # Trailing spaces, ideographic ones too, may be printed past the cell edge: they do not count.
    inked = next((c for c in reversed(printed) if c.text != "\u3000"), printed[-1])
    return Line(
        text,
        printed[0].x0,
        inked.x1,
        min([c.top for c in chars]),
        max([c.bottom for c in chars]),
        max([c.size for c in chars]),
        _lead(printed),
        _unit(chars),
        _word(printed),
        chars[-1].x1,
        _justified(gaps, chars[0].size),
        _evenly_spaced(gaps, chars[0].size),
    )


def _is_latin(ch: Char) -> bool:
    return ch.text.isascii() and ch.text != " "


def _lead(printed: Sequence[Char]) -> float:
    """Width of the first character, with its neighbour when kinsoku forbids a break between them."""
    lead = printed[0].x1 - printed[0].x0
    if len(printed) > 1 and (printed[1].text in _NO_LINE_START or printed[0].text in _NO_LINE_END):
        lead += printed[1].x1 - printed[1].x0
    return lead


def _word(printed: Sequence[Char]) -> float:
    if not _is_latin(printed[0]):
        return 0.0
    end = printed[0]
    for ch in printed:
        if not _is_latin(ch) or ch.x0 - end.x1 > 0.2 * ch.size:
            break
        end = ch
    return end.x1 - printed[0].x0


def _unit(chars: Sequence[Char]) -> float:
    """Width of the first unbreakable unit of a line: what must have fitted on the line above.

    Office programs break lines between CJK characters and at spaces, never inside a Latin word,
    before a character that may not start a line (、）ー％ ...), after one that may not end a line
    (（「 ...), nor between CJK punctuation and a Latin word that touches it (る。Society, け、Tsukuba).
    """
    i = next((k for k, c in enumerate(chars) if c.text != " "), None)
    if i is None:
        return 0.0
    n = len(chars)

    def word_end(j: int) -> int:
        while j + 1 < n and _is_latin(chars[j + 1]) and chars[j + 1].x0 - chars[j].x1 < 0.2 * chars[j].size:
            j += 1
        return j

    j = word_end(i) if _is_latin(chars[i]) else i
    while j + 1 < n:
        cur, nxt = chars[j], chars[j + 1]
        if nxt.text == " " or nxt.x0 - cur.x1 > 0.2 * cur.size:
            break
        if nxt.text in _NO_LINE_START or cur.text in _NO_LINE_END:
            j = word_end(j + 1) if _is_latin(nxt) else j + 1
        elif nxt.text == "\u3000":
            j += 1  # a CSS engine keeps ideographic spaces on the line of the character before them
        elif _is_latin(nxt) and not _is_latin(cur) and cur.text in _NO_LINE_START:
            j = word_end(j + 1)
        else:
            break
    return chars[j].x1 - chars[i].x0


def starts_paragraph(text: str) -> bool:
    return bool(_BULLET_RE.match(text))


def _opens_fw_word(line: Line) -> bool:
    """The line starts with two full-width Latin letters: moving only the first would split a word."""
    head = line.text.lstrip(" \u3000")[:2]
    return len(head) == 2 and fw_letter(head[0]) and fw_letter(head[1])


def cell_text(
    lines: Sequence[Line],
    *,
    edge: float,
    left: float | None = None,
    words: bool = True,
    justified: bool = False,
    hyphens: bool = False,
    spaces: WordSpaces | None = None,
) -> str:
    """The text of a cell whose lines are given top to bottom and whose column wraps at ``edge``.

    ``left`` is the column's left margin when it is left-aligned: a line indented from it starts with
    ideographic spaces PDFium did not report. ``words`` is False for a producer that wraps
    character by character (see :func:`breaks_inside_words`). In a ``justified`` column every
    wrapped line is spread to the edge, so one ending short of it unspread ends its paragraph.
    ``hyphens``: the producer keeps room for a hyphen inside full-width words (:func:`reserves_hyphen`).
    ``spaces``: the document's full-width words printed with U+3000 between (:mod:`spaces`).
    """
    lines = _untracked(lines)
    parts: list[str] = []
    prev: Line | None = None
    depth = 0  # brackets left open in the paragraph so far
    opener = _opening_mark(lines)
    for line in lines:
        if not line.text:
            continue
        if left is not None:
            # Letter spacing of a justified line widens its leading ideographic spaces too.
            indent = round((line.x0 - left) / (line.size + line.spread))
            if 1 <= indent <= 3 and not line.text.startswith("\u3000"):
                extra = line.x0 - left
                line = replace(
                    line,
                    text="\u3000" * indent + line.text,
                    x0=left,
                    lead=line.lead + extra,
                    unit=line.unit + extra,
                    word=0.0,
                )
        if prev is not None:
            if justified and _ends_paragraph(prev, edge):
                joint = "\n"
            elif opener and line.text.lstrip(" ")[:1] == opener and _ends_alike(prev, lines[-1]):
                joint = "\n"  # the mark every item of this cell opens with: a new item, full line or not
            else:
                if hyphens and _opens_fw_word(line):
                    line = replace(line, unit=line.unit + _HYPHEN * line.size)
                joiner = _joiner if words else _char_joiner
                joint = joiner(prev, line, edge, bracket_open=depth > 0)
                item = joint == "\n" and starts_paragraph(line.text.lstrip(" "))
                joint = swallowed(
                    prev, line, edge, joint, spaces, hyphens=hyphens, item=item, slack=FIT_SLACK * prev.size
                )
            trim = bool(joint) or _cjk_wrap(parts[-1], line.text)
            if trim:
                parts[-1] = parts[-1].rstrip(" ")
            parts.append(joint)
            parts.append(line.text.lstrip(" ") if trim else line.text)
            if joint == "\n":
                depth = 0
        else:
            parts.append(line.text.lstrip(" "))
        depth += sum(line.text.count(c) for c in "（(") - sum(line.text.count(c) for c in "）)")
        prev = line
    if parts:
        parts[-1] = parts[-1].rstrip(" ")
    return fix_radicals("".join(parts))


def _untracked(lines: Sequence[Line]) -> Sequence[Line]:
    """Lines set with letter spacing (字間) rather than justified: a justified line is spread by its own
    slack and a last line not at all; tracking spreads the last line as much as every other."""
    spread = [ln.spread for ln in lines if ln.text and ln.spread > 0]
    texts = [ln for ln in lines if ln.text]
    if len(spread) < 2 or not texts or texts[-1].spread <= 0:
        return lines
    if max(spread) - min(spread) > 0.03 * texts[-1].size:
        return lines
    return [replace(ln, spread=0.0, even=False) if ln.spread > 0 else ln for ln in lines]


def _opening_mark(lines: Sequence[Line]) -> str:
    """The mark (・ ○ ■ ...) the cell's first item opens with, or "": in such a list a line opening
    with the same mark is the next item, far likelier than a 「・」 joining two words wrapped there."""
    first = next((ln.text.lstrip(" ") for ln in lines if ln.text.strip()), "")
    return first[:1] if first[:1] in _MARKS else ""


def _ends_alike(prev: Line, last: Line) -> bool:
    """Whether ``prev`` may end an item of a list whose last item ends as ``last`` does: items of one
    list end alike, so a line stopping mid-phrase (「家事」/「・育児」) where the list's items end in 。
    ended no item."""
    end = set("。．.")
    return prev.text.rstrip(" \u3000")[-1:] in end or last.text.rstrip(" \u3000")[-1:] not in end


def _cjk_wrap(before: str, after: str) -> bool:
    """A space left at the end or start of a line wrapped between two Japanese characters is the
    report tool's (Platypus prints one where it breaks): no office program puts a space there."""
    head = before.rstrip(" ")[-1:]
    tail = after.lstrip(" ")[:1]
    spaced = before.endswith(" ") or after.startswith(" ")
    return spaced and bool(head) and bool(tail) and not head.isascii() and not tail.isascii()


def _is_katakana(ch: str) -> bool:
    return bool(ch) and ("\u30a1" <= ch <= "\u30fa" or ch == "ー")


def _bullet_joiner(prev: Line, line: Line, *, full: bool, bracket_open: bool) -> str:
    if not full:
        return "\n"
    if bracket_open:
        return ""  # a full line inside an open bracket (「（「学校教育法の」/「第１条に」) ends no paragraph
    head = line.text.lstrip(" ")
    # 「・」 after a full line that stops mid-phrase is a word joiner (整備・見直し), not a bullet.
    if head[:1] in ("・", "･") and prev.text.rstrip(" ")[-1:] not in _SENTENCE_END:
        return ""
    # 「家事シェ」/「ア、防災」: a katakana word wrapped before 「ア、」 is no list item.
    if head[:1] in _KANA_ITEMS and _is_katakana(prev.text.rstrip(" ")[-1:]):
        return ""
    # 「（５／１１－１」/「３）、」: an item number is neither followed by punctuation nor closes a bracket.
    item = _ITEM_RE.match(head)
    if item and (
        head[item.end() : item.end() + 1] in _NO_LINE_START
        or (bracket_open and head[item.end() - 1] in "）)")
    ):
        return ""
    return "\n"


def _ends_paragraph(prev: Line, edge: float) -> bool:
    """A Japanese line left unspread and short of the edge in a justified column: a paragraph's last.
    (Words separated by spaces are justified at the spaces, so such a line says nothing.)"""
    unspread = not prev.spread and not prev.even
    # Proportional glyphs end a spread line a little off the edge: only a clear shortfall counts.
    return unspread and prev.x1 < edge - 0.4 * prev.size and " " not in prev.text.strip()


def _after_justified(prev: Line, line: Line, edge: float, *, bracket_open: bool) -> str:
    """After a justified line, which filled its cell: a soft wrap. Where its ink stops short of the
    edge, the rest of the line was ideographic spaces drawn blank (「木曜日　　　　」), kept as printed."""
    if starts_paragraph(line.text.lstrip(" ")):
        joint = _bullet_joiner(prev, line, full=True, bracket_open=bracket_open)
        if joint:
            return joint
    blanks = round((edge - prev.reach) / (prev.size + prev.spread))
    return "\u3000" * blanks if blanks >= 1 else ""


def _joiner(prev: Line, line: Line, edge: float, *, bracket_open: bool) -> str:
    """The joint before ``line``: "\n" after a hard break, "" or " " after an office program's soft wrap."""
    last = prev.text.rstrip(" ")[-1:]
    latin_pair = bool(line.word) and last.isascii() and last.isalnum()
    # A soft wrap happens because the next line's first unit did not fit after what the line above
    # printed (its trailing spaces included); a Latin word needs a space before it.
    space = 0.25 * prev.size if latin_pair else 0.0
    reach = max(prev.reach, prev.x1 + space)
    full = prev.x1 >= edge - 0.25 * prev.size or reach + line.unit > edge + FIT_SLACK * prev.size
    if prev.spread:
        return _after_justified(prev, line, edge, bracket_open=bracket_open)
    if starts_paragraph(line.text.lstrip(" ")):
        return _bullet_joiner(prev, line, full=full, bracket_open=bracket_open)
    if not full:
        return "\n"
    # Writer prints no space where it wraps between two words (Calc prints it past the edge).
    if latin_pair and prev.text.endswith(last) and not line.text.startswith(" "):
        return " "
    return ""


def _char_joiner(prev: Line, line: Line, edge: float, *, bracket_open: bool) -> str:
    """The same for a producer that wraps as soon as the next character does not fit."""
    full = prev.reach >= edge - 0.25 * prev.size or prev.reach + line.lead > edge + 0.05 * prev.size
    if prev.spread:
        return _after_justified(prev, line, edge, bracket_open=bracket_open)
    if starts_paragraph(line.text.lstrip(" ")):
        return _bullet_joiner(prev, line, full=full, bracket_open=bracket_open)
    if full:
        return ""
    last = prev.text.rstrip(" ")[-1:]
    if line.word and last.isascii() and last.isalnum() and prev.reach + 0.25 * prev.size + line.word > edge:
        return " "  # a Latin word wrap: the next word did not fit after a space
    return "\n"
