"""Setting broken lines on a reportlab canvas, line by line, with per-character font fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportlab.pdfgen.canvas import Canvas

from evaldesk.export.fonts import GETA, char_width, face, font_for
from evaldesk.export.linebreak import Line, LineBreaker, justify_space


def new_canvas(path: Path, *, size: tuple[float, float], style: TextStyle) -> Canvas:
    """A compressed Japanese-language page canvas starting in ``style``'s font."""
    return Canvas(
        str(path),
        pagesize=size,
        pageCompression=1,
        lang="ja",
        initialFontName=style.font,
        initialFontSize=style.size,
    )


Align = Literal["left", "center", "right"]


@dataclass(frozen=True, slots=True)
class TextStyle:
    """A font at a size with its line pitch (all in points)."""

    font: str
    size: float
    leading: float

    def scaled(self, factor: float) -> TextStyle:
        return TextStyle(self.font, self.size * factor, self.leading * factor)

    def breaker(
        self,
        max_width: float,
        *,
        hard_margin_em: float = 0.0,
        max_gap_latin_em: float | None = None,
        avoid_start: re.Pattern[str] | None = None,
    ) -> LineBreaker:
        size = self.size
        font = self.font
        return LineBreaker(
            lambda ch: char_width(ch, font) * size,
            max_width=max_width,
            em=size,
            hard_margin=hard_margin_em * size,
            max_gap_latin=None if max_gap_latin_em is None else max_gap_latin_em * size,
            avoid_start=avoid_start,
        )

    def baseline_offset(self) -> float:
        """Distance from the top of a line box to its baseline (glyphs centred in the pitch)."""
        f = face(self.font)
        return (self.leading - (f.ascent + f.descent) * self.size) / 2 + f.ascent * self.size

    def width(self, text: str) -> float:
        return sum(char_width(ch, self.font) for ch in text) * self.size


def draw_lines(
    canvas: Canvas,
    lines: list[Line],
    *,
    x: float,
    top: float,
    width: float,
    style: TextStyle,
    align: Align = "left",
) -> None:
    """Draw ``lines`` from ``top`` down; soft lines are justified to ``width`` (両端揃え)."""
    canvas.setFont(style.font, style.size)
    y = top - style.baseline_offset()
    for line in lines:
        if line.text:
            if align == "left":
                draw_text(canvas, x, y, line.text, style, justify_space(line, width, em=style.size))
            elif align == "center":
                draw_text(canvas, x + (width - line.width) / 2, y, line.text, style, 0.0)
            else:
                draw_text(canvas, x + width - line.width, y, line.text, style, 0.0)
        y -= style.leading


def draw_text(canvas: Canvas, x: float, y: float, text: str, style: TextStyle, char_space: float) -> None:
    """Draw one line, switching to a fallback font for characters the style's font lacks."""
    primary = face(style.font)
    if all(primary.covers(ch) for ch in text):
        canvas.drawString(x, y, text, charSpace=char_space)
        return
    for run_font, run in _runs(text, style.font):
        canvas.setFont(run_font, style.size)
        canvas.drawString(x, y, run, charSpace=char_space)
        x += face(run_font).text_width(run, style.size) + char_space * len(run)
    canvas.setFont(style.font, style.size)


def _runs(text: str, primary: str) -> list[tuple[str, str]]:
    runs: list[tuple[str, str]] = []
    for ch in text:
        name = font_for(ch, primary)
        if name is None:
            name, ch = primary, GETA
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + ch)
        else:
            runs.append((name, ch))
    return runs


def draw_footer(
    canvas: Canvas,
    *,
    page: int,
    pages: int,
    left: str,
    right: str,
    x0: float,
    x1: float,
    y: float,
    style: TextStyle,
) -> None:
    """Footer line: ``left`` text, 「N / M」 centred, ``right`` text."""
    canvas.setFont(style.font, style.size)
    if left:
        draw_text(canvas, x0, y, left, style, 0.0)
    number = f"{page} / {pages}"
    canvas.drawString((x0 + x1 - style.width(number)) / 2, y, number)
    if right:
        draw_text(canvas, x1 - style.width(right), y, right, style, 0.0)
