"""The bundled Japanese fonts: registration with reportlab, glyph coverage, widths and fallback."""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from evaldesk.errors import ExportError
from evaldesk.resources import resource_path

GOTHIC = "EvaldeskGothic"
GOTHIC_BOLD = "EvaldeskGothic-Bold"
MINCHO = "EvaldeskMincho"

_FILES: dict[str, str] = {
    GOTHIC: "BIZUDGothic-Regular.ttf",
    GOTHIC_BOLD: "BIZUDGothic-Bold.ttf",
    MINCHO: "BIZUDMincho-Regular.ttf",
}
# Which fonts to try, in order, when the wanted one lacks a character.
_FALLBACKS: dict[str, tuple[str, ...]] = {
    GOTHIC: (MINCHO, GOTHIC_BOLD),
    GOTHIC_BOLD: (GOTHIC, MINCHO),
    MINCHO: (GOTHIC, GOTHIC_BOLD),
}
GETA = "〓"
"""Printed in place of a character no bundled font has (the customary 下駄記号)."""

_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class FontFace:
    """Metrics of one registered font; widths are in em (multiply by the point size)."""

    name: str
    widths: dict[int, float]
    default_width: float
    ascent: float
    descent: float

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.widths

    def char_width(self, ch: str) -> float:
        return self.widths.get(ord(ch), self.default_width)

    def text_width(self, text: str, size: float) -> float:
        w = self.widths
        d = self.default_width
        return sum(w.get(ord(c), d) for c in text) * size


@cache
def face(name: str) -> FontFace:
    """Register the bundled font ``name`` with reportlab (once) and return its metrics."""
    try:
        file_name = _FILES[name]
    except KeyError:
        raise ExportError(f"フォント {name} は同梱されていません。") from None
    path = resource_path("fonts", file_name)
    with _LOCK:
        try:
            ttf = TTFont(name, str(path))
        except (OSError, ValueError) as exc:
            raise ExportError(f"同梱フォント {file_name} を読み込めません（{exc}）。") from exc
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(ttf)
    f = ttf.face
    covered = {cp for cp, glyph in f.charToGlyph.items() if glyph}
    widths = {cp: f.charWidths.get(cp, f.defaultWidth) / 1000.0 for cp in covered}
    return FontFace(
        name=name,
        widths=widths,
        default_width=f.defaultWidth / 1000.0,
        ascent=f.ascent / 1000.0,
        descent=-f.descent / 1000.0,
    )


def register_all() -> None:
    """Register every bundled font; cheap after the first call."""
    for name in _FILES:
        face(name)


def font_for(ch: str, primary: str) -> str | None:
    """The font to print ``ch`` with: ``primary`` if it has the glyph, else a bundled fallback."""
    if face(primary).covers(ch):
        return primary
    for other in _FALLBACKS[primary]:
        if face(other).covers(ch):
            return other
    return None


def char_width(ch: str, primary: str) -> float:
    """Advance of ``ch`` in em, taken from the font that will actually print it."""
    name = font_for(ch, primary)
    return face(name or primary).char_width(ch if name else GETA)


_VARIATION_SELECTORS = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0xE0100, 0xE01F0))


@dataclass(frozen=True, slots=True)
class Printable:
    """A text made printable: unprintable characters replaced, with one warning per kind."""

    text: str
    warnings: tuple[str, ...]


def printable(text: str, *, primary: str, where: str) -> Printable:
    """Normalise line ends and replace what no bundled font can print; ``where`` names the text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    primary_face = face(primary)
    if all(primary_face.covers(c) for c in text if c != "\n"):
        return Printable(text, ())
    out: list[str] = []
    missing: dict[str, None] = {}
    dropped: dict[str, None] = {}
    selectors = False
    for ch in text:
        if ch == "\n" or primary_face.covers(ch):
            out.append(ch)
        elif ord(ch) in _VARIATION_SELECTORS:
            # An ideographic variation selector: the base character still prints in its usual form.
            selectors = True
        elif ch == "\t":
            out.append("\u3000")
        elif font_for(ch, primary) is not None:
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf"):
            dropped.setdefault(ch)
        else:
            missing.setdefault(ch)
            out.append(GETA)
    warnings: list[str] = []
    if missing:
        shown = "、".join(_describe(ch) for ch in missing)
        warnings.append(f"{where}：{shown} は同梱フォントにないため「{GETA}」で印刷しました。")
    if dropped:
        shown = "、".join(_describe(ch) for ch in dropped)
        warnings.append(f"{where}：見えない文字 {shown} を省いて印刷しました。")
    if selectors:
        warnings.append(f"{where}：異体字セレクタを省き、標準の字形で印刷しました。")
    return Printable("".join(out), tuple(warnings))


def _describe(ch: str) -> str:
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return f"U+{ord(ch):04X}"
    return f"「{ch}」(U+{ord(ch):04X})"


_SPACES = ("\u3000", " ")


def seed_subsets(canvas: Canvas, font: str, texts: Iterable[str]) -> None:
    """Give spaces and the characters beside them the first of the font's 256-glyph subsets.

    reportlab splits a TrueType font into subsets of 256 glyphs and switches font between them
    within a line. PDFium (and so our importer) drops a space that ends up alone in its own
    font run, so each space is made to share a subset with its neighbours.
    """
    neighbours: dict[str, None] = {}
    for text in texts:
        for space in _SPACES:
            start = text.find(space)
            while start >= 0:
                for ch in (text[start - 1 : start], text[start + 1 : start + 2]):
                    if ch and ch != "\n":
                        neighbours.setdefault(ch)
                start = text.find(space, start + 1)
    if not neighbours:
        return
    seed = "".join(_SPACES) + "".join(list(neighbours)[:240])
    # canvas._doc is the document whose subsets reportlab fills in order of first use.
    pdfmetrics.getFont(font).splitString(seed, canvas._doc)
