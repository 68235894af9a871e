"""The printable comparison report: A4, the bundled gothic font, old and new texts side by side."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from evaldesk.compare.figures import figure_changes
from evaldesk.compare.model import Comparison, DiffSpan, ProgramComparison, format_delta
from evaldesk.compare.report import entry_heading, summary, title
from evaldesk.compare.textdiff import text_diff
from evaldesk.errors import ExportError
from evaldesk.export.fonts import GETA, GOTHIC, GOTHIC_BOLD, face, font_for, printable
from evaldesk.export.linebreak import LineBreaker
from evaldesk.export.result import atomic_output
from evaldesk.fiscal_year import era_label
from evaldesk.records import FIELD_LABELS

_SIZE = 8.5
_LEADING = 12.5
_GAP: float = 4 * mm
_PAD = 2.5
_MARGIN: float = 15 * mm

_DELETE_BG = colors.HexColor("#ffd9d9")
_DELETE_FG = colors.HexColor("#b00000")
_INSERT_BG = colors.HexColor("#d6f5d6")
_INSERT_FG = colors.HexColor("#0040c0")
_RULE = colors.HexColor("#999999")
_HEAD_BG = colors.HexColor("#eeeeee")


@dataclass(frozen=True, slots=True)
class _Run:
    text: str
    mark: str  # "equal", "delete" or "insert"
    x: float


def _side(spans: list[DiffSpan], keep: str) -> list[tuple[str, str]]:
    """(text, op) of one side: the old side keeps equal+delete, the new side equal+insert."""
    out: list[tuple[str, str]] = []
    for s in spans:
        if s.op == "equal" or s.op == keep:
            out.append((printable(s.text, primary=GOTHIC, where="比較表").text, s.op))
    return out


def _layout(parts: list[tuple[str, str]], width: float) -> list[list[_Run]]:
    """Break the marked text into lines (with 禁則) and cut each line into runs of one mark."""
    text = "".join(t for t, _ in parts)
    marks: list[str] = []
    for t, op in parts:
        marks.extend([op] * len(t))

    def width_of(ch: str) -> float:
        name = font_for(ch, GOTHIC)
        return face(name or GOTHIC).char_width(ch if name else GETA) * _SIZE

    breaker = LineBreaker(width_of, max_width=width, em=_SIZE)
    lines: list[list[_Run]] = []
    pos = 0
    for line in breaker.lines(text):
        runs: list[_Run] = []
        x = 0.0
        for i, ch in enumerate(line.text):
            mark = marks[pos + i]
            if runs and runs[-1].mark == mark:
                runs[-1] = _Run(runs[-1].text + ch, mark, runs[-1].x)
            else:
                runs.append(_Run(ch, mark, x))
            x += width_of(ch)
        lines.append(runs)
        pos += len(line.text)
        if pos < len(text) and text[pos] == "\n":
            pos += 1
    return lines


def _by_font(text: str) -> list[tuple[str, str]]:
    """(font, text) pieces: one drawString per font change, 〓 for what no bundled font has."""
    out: list[tuple[str, str]] = []
    for ch in text:
        name = font_for(ch, GOTHIC)
        font, shown = (name, ch) if name else (GOTHIC, GETA)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + shown)
        else:
            out.append((font, shown))
    return out


def _draw_runs(canvas: Canvas, runs: list[_Run], x0: float, y: float) -> None:
    for run in runs:
        x = x0 + run.x
        width = sum(face(font_for(ch, GOTHIC) or GOTHIC).char_width(ch) * _SIZE for ch in run.text)
        if run.mark != "equal":
            canvas.setFillColor(_DELETE_BG if run.mark == "delete" else _INSERT_BG)
            canvas.rect(x, y - 2.6, width, _LEADING - 1.2, stroke=0, fill=1)
        fg = {"delete": _DELETE_FG, "insert": _INSERT_FG}.get(run.mark, colors.black)
        canvas.setFillColor(fg)
        cx = x
        for font, text in _by_font(run.text):
            canvas.setFont(font, _SIZE)
            canvas.drawString(cx, y, text)
            cx += face(font).text_width(text, _SIZE)
        if run.mark != "equal":
            canvas.setStrokeColor(fg)
            canvas.setLineWidth(0.7)
            line_y = y + _SIZE * 0.3 if run.mark == "delete" else y - 1.4
            canvas.line(x, line_y, x + width, line_y)


class _SideBySide(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Old text on the left, new text on the right, deletions and insertions marked; splits by line."""

    def __init__(
        self,
        old: list[tuple[str, str]],
        new: list[tuple[str, str]],
        *,
        lines: tuple[list[list[_Run]], list[list[_Run]]] | None = None,
        laid_width: float = 0.0,
    ) -> None:
        super().__init__()
        self._old = old
        self._new = new
        self._lines = lines
        self._laid_width = laid_width

    def _column(self, avail_width: float) -> float:
        return (avail_width - _GAP) / 2 - 2 * _PAD

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        if self._lines is None or self._laid_width != aW:
            col = self._column(aW)
            self._lines = (_layout(self._old, col), _layout(self._new, col))
            self._laid_width = aW
        height = max(len(self._lines[0]), len(self._lines[1]), 1) * _LEADING + 2 * _PAD
        self.width, self.height = aW, height
        return aW, height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        self.wrap(aW, aH)
        assert self._lines is not None
        fit = int((aH - 2 * _PAD) // _LEADING)
        total = max(len(self._lines[0]), len(self._lines[1]))
        if fit < 2 or fit >= total:
            return [] if fit < 2 else [self]
        old, new = self._lines
        head = _SideBySide(self._old, self._new, lines=(old[:fit], new[:fit]), laid_width=aW)
        tail = _SideBySide(self._old, self._new, lines=(old[fit:], new[fit:]), laid_width=aW)
        return [head, tail]

    def draw(self) -> None:
        assert self._lines is not None
        canvas = self.canv
        col = self._column(self.width)
        for i, x0 in enumerate((0.0, col + 2 * _PAD + _GAP)):
            canvas.setStrokeColor(_RULE)
            canvas.setLineWidth(0.4)
            canvas.rect(x0, 0, col + 2 * _PAD, self.height, stroke=1, fill=0)
            y = self.height - _PAD - _SIZE
            for runs in self._lines[i]:
                _draw_runs(canvas, runs, x0 + _PAD, y)
                y -= _LEADING


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=GOTHIC, fontSize=_SIZE, leading=_LEADING, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=GOTHIC_BOLD, fontSize=15, leading=20, spaceAfter=6),
        "h1": ParagraphStyle("h1", base, fontName=GOTHIC_BOLD, fontSize=11.5, leading=16, spaceBefore=8),
        "h2": ParagraphStyle("h2", base, fontName=GOTHIC_BOLD, fontSize=10, leading=14, spaceBefore=8),
        "field": ParagraphStyle("field", base, fontName=GOTHIC_BOLD, spaceBefore=4, spaceAfter=2),
        "note": ParagraphStyle("note", base, textColor=colors.HexColor("#555555")),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    shown = printable(text, primary=GOTHIC, where="比較表").text
    return Paragraph(escape(shown).replace("\n", "<br/>"), style)


def _table(rows: list[list[Any]], widths: list[float], *, right: tuple[int, ...] = ()) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, _RULE),
        ("BACKGROUND", (0, 0), (-1, 0), _HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    commands += [("ALIGN", (c, 1), (c, -1), "RIGHT") for c in right]
    table.setStyle(TableStyle(commands))
    return table


def _program_list(
    entries: tuple[ProgramComparison, ...], st: dict[str, ParagraphStyle], width: float
) -> Table:
    rows: list[list[Any]] = [[_p(h, st["field"]) for h in ("事業番号", "事務事業名", "部署名")]]
    for e in entries:
        p = e.new if e.new is not None else e.old
        assert p is not None
        rows.append([_p(p.program_id, st["base"]), _p(p.name, st["base"]), _p(p.department, st["base"])])
    return _table(rows, [18 * mm, width - 18 * mm - 50 * mm, 50 * mm])


def _changed_program(
    e: ProgramComparison, c: Comparison, st: dict[str, ParagraphStyle], width: float
) -> list[Flowable]:
    assert e.old is not None and e.new is not None
    story: list[Flowable] = [CondPageBreak(40 * mm), _p(entry_heading(e), st["h2"])]
    header = _table(
        [
            [
                _p(f"{era_label(c.from_year)}（旧）", st["field"]),
                _p(f"{era_label(c.to_year)}（新）", st["field"]),
            ]
        ],
        [width / 2, width / 2],
    )
    story.append(header)
    figures = []
    for f in e.fields:
        old, new = e.old.text(f), e.new.text(f)
        spans = text_diff(old, new)
        story.append(_p(f"◇ {FIELD_LABELS[f]}", st["field"]))
        story.append(_SideBySide(_side(spans, "delete"), _side(spans, "insert")))
        if f in ("purpose", "overview", "outcome"):
            figures += [(FIELD_LABELS[f], fc) for fc in figure_changes(old, new)]
    if figures:
        rows: list[list[Any]] = [
            [_p(h, st["field"]) for h in ("欄", "項目", era_label(c.from_year), era_label(c.to_year), "増減")]
        ]
        for field_label, fc in figures:
            rows.append(
                [
                    _p(field_label, st["base"]),
                    _p(fc.label or "（数値）", st["base"]),
                    _p(fc.old.raw if fc.old else "なし", st["base"]),
                    _p(fc.new.raw if fc.new else "なし", st["base"]),
                    _p(format_delta(fc.delta) if fc.delta is not None else "", st["base"]),
                ]
            )
        story.append(Spacer(1, 3))
        story.append(KeepTogether([_p("◇ 数値の比較", st["field"])]))
        story.append(_table(rows, [22 * mm, width - 22 * mm - 3 * 32 * mm, 32 * mm, 32 * mm, 32 * mm]))
    return story


def write_comparison_pdf(c: Comparison, out: Path) -> Path:
    """Write the comparison report to ``out`` (A4 portrait) and return the path."""
    face(GOTHIC)
    face(GOTHIC_BOLD)
    st = _styles()
    report_title = title(c)
    width = A4[0] - 2 * _MARGIN
    story: list[Flowable] = [_p(report_title, st["title"]), _p(summary(c), st["h1"])]
    story.append(
        _p(
            "文字の違いは空白・改行を除いて比べています。No. の違いは変更に含めません。"
            "削除された文字は赤の背景と取り消し線、追加された文字は緑の背景と青の下線で示します。",
            st["note"],
        )
    )
    for kind, entries in (("新規の事業", c.added), ("終了した事業", c.removed)):
        if entries:
            story += [_p(f"■ {kind}（{len(entries)}件）", st["h1"]), Spacer(1, 3)]
            story.append(_program_list(entries, st, width))
    if c.changed:
        story.append(_p(f"■ 変更のあった事業（{len(c.changed)}件）", st["h1"]))
        for e in c.changed:
            story += _changed_program(e, c, st, width)

    def footer(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(GOTHIC, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(_MARGIN, 9 * mm, report_title)
        canvas.drawRightString(A4[0] - _MARGIN, 9 * mm, f"{doc.page} ページ")
        canvas.restoreState()

    out = Path(out)
    try:
        with atomic_output(out) as tmp:
            doc = SimpleDocTemplate(
                str(tmp),
                pagesize=A4,
                leftMargin=_MARGIN,
                rightMargin=_MARGIN,
                topMargin=_MARGIN,
                bottomMargin=_MARGIN + 4 * mm,
                title=report_title,
                author="evaldesk",
            )
            doc.build(story, onFirstPage=footer, onLaterPages=footer)
    except OSError as exc:
        raise ExportError(f"比較表を書き込めません: {out}（{exc.strerror or exc}）") from exc
    return out
