"""Kanji a Japanese table does not print: the sign of a glyph map that names the wrong character.
(With the reason of the one other doubt the characters of an id alone tell: a code cut after a hyphen.)

Every kanji of Japanese administrative text is in JIS X 0208 / 0213 or the vendor extensions of
Windows (cp932). A PDF writer that maps a glyph back to text by a table of its own may name a
Chinese or Korean form of the character the glyph shows (Qt writes 戶 U+6236 for 戸); no such
character is typed into a Japanese table, so a cell holding one is worth a look.
"""

from __future__ import annotations

import functools

CUT_ID_REASON = (
    "事業番号が「-」で終わっています。折り返した番号の続きが別の行として読まれた可能性があります。"
)
FOREIGN_REASON = "日本の文字集合にない漢字（{}）があります。PDF の文字の対応表の誤りの可能性があります。"


@functools.cache
def _japanese(ch: str) -> bool:
    for codec in ("cp932", "shift_jis_2004"):
        try:
            ch.encode(codec)
        except UnicodeEncodeError:
            continue
        return True
    return False


def _is_kanji(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def foreign_kanji(text: str) -> str:
    """The kanji of ``text`` outside the Japanese character sets, in code point order ("" if none)."""
    return "".join(sorted(ch for ch in set(text) if ch >= "\u3400" and _is_kanji(ch) and not _japanese(ch)))
