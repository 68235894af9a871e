"""Japanese line breaking with 禁則処理 (kinsoku): greedy fill, hard breaks and bullets kept."""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

SMALL_KANA = "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
NO_START = frozenset(
    "、。，．）」』】〕〉》〙〗］｝｣ー―‐〜～：；？！‥…・ゝゞヽヾ々〻゛゜’”％‰℃"
    + SMALL_KANA
    + ",.)]}:;?!%"
    # Spaces end a line rather than begin one.
    + " \u3000"
)
"""Characters that may not begin a line (行頭禁則); 「・」 may only as a paragraph's first character."""
NO_END = frozenset("（「『【〔〈《〘〖［｛｢‘“([{＄￥$ ")
"""Characters that may not end a line (行末禁則); an ASCII space neither ends nor begins one."""

PARAGRAPH_START = re.compile(
    r"^(?:[・･※○●◎■□◆◇▲△▼▽★☆➢➤►▶→⇒【〔［\[]"
    r"|[①-⑳㉑-㉟㊱-㊿❶-❿➀-➉⑴-⒇⒈-⒛]"
    r"|[（(][0-9０-９一二三四五六七八九十ァ-ヶ]{1,3}[）)]"
    r"|[0-9０-９]{1,3}[.．、)）]"
    r"|[ァ-ヶ][.．、)）]"
    r"|第[0-9０-９一二三四五六七八九十]+[条項号章節]"
    r")"
)
"""Line openings a reader takes for a new paragraph (bullets, 「（１）」, 「ア．」, 「第２条」)."""

BULLET = "・"

# Any run of visible ASCII (words, numbers, URLs, mail addresses) is kept whole where possible.
_ASCII_WORD = frozenset(chr(c) for c in range(0x21, 0x7F))
_ASCII_RUN = re.compile(r"[\x21-\x7e]+")
# Full-width numbers stay whole (１，１９４); full-width letters break like kana, as in Japanese
# word processors, so 「Ｔｉｐｓ　ｆｏｒ」 never leaves a wide gap to be justified away.
_WIDE_WORD = frozenset("０１２３４５６７８９")
# Separators that stay inside a full-width word or number when both neighbours belong to it: １，１９４
_WIDE_JOINERS = frozenset("，．：／－＿＠＆＋＃")


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line; ``soft`` when its paragraph goes on (so it is set to the full width)."""

    text: str
    width: float
    soft: bool


def _word_class(ch: str) -> int:
    if ch in _ASCII_WORD:
        return 1
    if ch in _WIDE_WORD:
        return 2
    return 0


def cluster_starts(paragraph: str) -> list[int]:
    """Where each piece a line may not break inside begins (kinsoku pairs, words, numbers)."""
    out: list[int] = []
    n = len(paragraph)
    i = 0
    while i < n:
        ch = paragraph[i]
        if i == 0:
            out.append(0)
        else:
            prev = paragraph[i - 1]
            join = ch in NO_START or prev in NO_END
            if not join:
                cls = _word_class(ch)
                if cls and cls == _word_class(prev):
                    join = True
                elif cls == 2 and i >= 2 and prev in _WIDE_JOINERS and _word_class(paragraph[i - 2]) == 2:
                    join = True
                elif ch in _WIDE_JOINERS and i + 1 < n:
                    join = _word_class(prev) == 2 and _word_class(paragraph[i + 1]) == 2
            if not join:
                out.append(i)
        if ch in _ASCII_WORD:
            # The rest of a run of visible ASCII joins the piece: skip it in one step.
            run = _ASCII_RUN.match(paragraph, i)
            i = run.end() if run else i + 1
        else:
            i += 1
    return out


def clusters(paragraph: str) -> list[str]:
    """Split a paragraph into pieces a line may not break inside (kinsoku pairs, words, numbers)."""
    starts = cluster_starts(paragraph)
    return [paragraph[a:b] for a, b in zip(starts, [*starts[1:], len(paragraph)], strict=True)]


class LineBreaker:
    """Breaks texts into lines of at most ``max_width`` points.

    ``width_of`` gives one character's advance in points. A cluster that would leave a line more than
    ``max_gap`` short is split instead (long Latin words, URLs); ``max_gap_latin`` applies instead
    to lines holding adjacent Latin letters, which cannot be spread much by justification. When
    ``hard_margin`` is set, a paragraph's last line is kept at least that much short of the width,
    and with ``avoid_start`` no wrapped line begins with what looks like a new paragraph, so that
    a reader who takes a full line for a wrapped one (our own importer) gets the paragraphs back.
    """

    def __init__(
        self,
        width_of: Callable[[str], float],
        *,
        max_width: float,
        em: float,
        max_gap: float | None = None,
        max_gap_latin: float | None = None,
        hard_margin: float = 0.0,
        avoid_start: re.Pattern[str] | None = None,
    ) -> None:
        self._width_of = width_of
        self._cache: dict[str, float] = {}
        self.max_width = max_width
        self.em = em
        self.max_gap = max_gap if max_gap is not None else min(3 * em, 0.15 * max_width)
        self.max_gap_latin = self.max_gap if max_gap_latin is None else min(max_gap_latin, self.max_gap)
        self.hard_margin = hard_margin
        self.avoid_start = avoid_start

    def _fill_cache(self, text: str) -> dict[str, float]:
        cache = self._cache
        for ch in set(text).difference(cache):
            cache[ch] = self._width_of(ch)
        return cache

    def width(self, text: str) -> float:
        # Added left to right from 0.0, as the prefix sums below: the same text, the same width.
        return functools.reduce(operator.add, map(self._fill_cache(text).__getitem__, text), 0.0)

    def lines(self, text: str) -> list[Line]:
        out: list[Line] = []
        for paragraph in text.split("\n"):
            out.extend(self._paragraph(paragraph))
        return out

    def _prefix_widths(self, paragraph: str) -> list[float]:
        """``out[i]`` is the width of ``paragraph[:i]``."""
        return list(
            itertools.accumulate(map(self._fill_cache(paragraph).__getitem__, paragraph), initial=0.0)
        )

    def _paragraph(self, paragraph: str) -> list[Line]:
        if not paragraph:
            return [Line("", 0.0, False)]
        limit = self.max_width + 1e-6
        starts = cluster_starts(paragraph)
        prefix = self._prefix_widths(paragraph)
        # Pieces are spans of the paragraph, the next one last in ``todo``: a long word is split by
        # moving an index, never by copying what is left of it, so the time is linear in the length.
        todo: list[Span] = list(zip(starts, [*starts[1:], len(paragraph)], strict=True))[::-1]
        lines: list[list[Span]] = []
        cur: list[Span] = []
        cur_w = 0.0
        while todo:
            s, e = todo[-1]
            w = prefix[e] - prefix[s]
            if cur_w + w <= limit:
                cur.append(todo.pop())
                cur_w += w
                continue
            gap = self.max_gap_latin if has_latin_pair(_text(paragraph, cur)) else self.max_gap
            if cur and self.max_width - cur_w <= gap:
                lines.append(self._flush(paragraph, cur, todo))
                cur, cur_w = [], 0.0
                continue
            after_end = todo[-min(3, len(todo))][1]
            room = self.max_width - cur_w
            cut = self._split(paragraph, prefix, (s, e), room, force=not cur, after_end=after_end)
            if cut == s:
                lines.append(self._flush(paragraph, cur, todo))
                cur, cur_w = [], 0.0
                continue
            cur.append((s, cut))
            todo[-1] = (cut, e)
            lines.append(self._flush(paragraph, cur, todo))
            cur, cur_w = [], 0.0
        lines.append(cur)
        if self.hard_margin > 0:
            tail_line = lines[-1]
            if self.width(_text(paragraph, tail_line)) > self.max_width - self.hard_margin:
                moved = 1
                while moved < len(tail_line) - 1 and self._looks_new(_text(paragraph, tail_line[-moved:])):
                    moved += 1
                if moved < len(tail_line):
                    lines[-1:] = [tail_line[:-moved], tail_line[-moved:]]
        texts = [_text(paragraph, parts) for parts in lines]
        last = len(texts) - 1
        return [Line(t, self.width(t), i < last) for i, t in enumerate(texts)]

    def _looks_new(self, text: str) -> bool:
        return self.avoid_start is not None and self.avoid_start.match(text) is not None

    def _flush(self, paragraph: str, cur: list[Span], todo: list[Span]) -> list[Span]:
        """Close line ``cur`` before ``todo[-1]``, handing pieces back while the next line would look new."""
        if self.avoid_start is not None:
            for _ in range(3):
                if len(cur) < 2 or not todo:
                    break
                end = todo[-min(4, len(todo))][1]
                start = todo[-1][0]
                if not self._looks_new(paragraph[start : min(end, start + LOOKAHEAD)]):
                    break
                todo.append(cur.pop())
        return cur

    def _split(
        self, paragraph: str, prefix: list[float], span: Span, room: float, *, force: bool, after_end: int
    ) -> int:
        """Where to cut the over-long piece ``span`` of the paragraph to fit ``room``, keeping kinsoku
        inside it if possible; ``after_end`` is where the text looked at for a paragraph opening ends."""
        s, e = span
        fit = bisect.bisect_right(prefix, prefix[s] + room + 1e-6, lo=s, hi=e + 1) - 1
        cut = fit
        while s < cut < e and (
            paragraph[cut] in NO_START
            or paragraph[cut - 1] in NO_END
            or self._looks_new(paragraph[cut : min(after_end, cut + LOOKAHEAD)])
        ):
            cut -= 1
        if cut == s and force:
            cut = max(fit, s + 1)
        return cut


Span = tuple[int, int]
"""A piece of a paragraph as (start, end) indices."""
LOOKAHEAD = 64
"""How many characters a paragraph-opening pattern is matched against (it needs a handful)."""


def _text(paragraph: str, spans: list[Span]) -> str:
    """The text of consecutive pieces."""
    return paragraph[spans[0][0] : spans[-1][1]] if spans else ""


_LATIN_PAIR = re.compile(r"[0-9A-Za-z]{2}")


def has_latin_pair(text: str) -> bool:
    """Adjacent Latin letters or digits: spread apart, a reader would see a word space between them."""
    return _LATIN_PAIR.search(text) is not None


def justify_space(line: Line, max_width: float, *, em: float) -> float:
    """Extra space after each character that sets a soft line flush to ``max_width`` (両端揃え).

    Limited to 0.15 em on lines with adjacent Latin letters, where a wider gap reads as a space.
    """
    if not line.soft or len(line.text) < 2:
        return 0.0
    space = max(0.0, (max_width - line.width) / (len(line.text) - 1))
    if space > 0.15 * em and has_latin_pair(line.text):
        return 0.15 * em
    return space
