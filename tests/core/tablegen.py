"""Generate 事務事業 table PDFs in many office-like layouts (reportlab), with the records as the key."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from evaldesk.records import FIELD_LABELS

REPO = Path(__file__).resolve().parents[2]
FONTS = REPO / "resources" / "fonts"
SHARED_FIXTURES = REPO.parent / "shared" / "fixtures"
# Copies kept in the repository, for a checkout without shared/ beside it.
TRUTH_COPY = REPO / "tests" / "data" / "r6_truth.json"
SAMPLE_COPY = REPO / "resources" / "samples" / "r6_sample.pdf"
FIELDS = ("no", "program_id", "name", "department", "purpose", "overview", "outcome")
DEFAULT_LABELS = dict(FIELD_LABELS)
DEFAULT_WIDTHS = {
    "no": 0.9,
    "program_id": 1.3,
    "name": 3.2,
    "department": 2.6,
    "purpose": 5.0,
    "overview": 6.5,
    "outcome": 6.5,
}
PAD_X = 3.0
"""Room between a cell's rule and its text."""
FONT_FILES = {"gothic": "BIZUDGothic-Regular.ttf", "mincho": "BIZUDMincho-Regular.ttf"}


@dataclass(frozen=True)
class Layout:
    """How a producer printed the table; every option is something seen in real office exports."""

    orientation: str = "landscape"  # or "portrait"
    font: str = "gothic"  # or "mincho"
    size: float = 8.0
    leading: float = 1.4  # line pitch as a multiple of the size
    padding: float = 3.0  # top/bottom cell padding in points
    lines: str = "grid"  # "grid", "header_rule" or "none"
    valign: str = "top"  # or "middle"
    repeat_header: bool = True
    title: str | None = "令和６年度　事務事業評価結果一覧"
    footer: str | None = "dash"  # "dash" 「- N -」, "slash" 「N / M」 or None
    print_date: str | None = None  # e.g. "2025/05/01 印刷" at the top right of every page
    split_rows: bool = False  # Word-like: a row that does not fit continues on the next page
    order: tuple[str, ...] = FIELDS
    labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    widths: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WIDTHS))
    header_size: float | None = None
    header_distributed: bool = False  # Excel's 均等割り付け: one-line labels spread over the cell
    margin: float = 36.0


def _font(kind: str) -> str:
    name = f"TG-{kind}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / FONT_FILES[kind])))
    return name


def wrap(text: str, *, font: str, size: float, width: float) -> list[str]:
    """Split at every "\\n", then soft-wrap character by character at ``width``."""
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        used = 0.0
        for ch in para:
            w = pdfmetrics.stringWidth(ch, font, size)
            if line and used + w > width:
                out.append(line)
                line, used = "", 0.0
            line += ch
            used += w
        out.append(line)
    return out if text else []


@dataclass
class _Cell:
    lines: list[str]


@dataclass
class _Piece:
    cells: list[list[str]]  # lines per column in layout order
    height: float
    first: bool  # carries the row's number (False for a continuation on the next page)


def _cell_text(program: dict[str, Any], f: str) -> str:
    value = program.get(f)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class _Geometry:
    """Where everything goes on the page, worked out once from the layout."""

    font: str
    pagesize: tuple[float, float]
    xs: list[float]
    header_lines: list[list[str]]
    header_h: float
    title_h: float
    top0: float

    @property
    def page_w(self) -> float:
        return self.pagesize[0]

    @property
    def page_h(self) -> float:
        return self.pagesize[1]


def _geometry(lay: Layout) -> _Geometry:
    font = _font(lay.font)
    pagesize = landscape(A4) if lay.orientation == "landscape" else A4
    total_w = pagesize[0] - 2 * lay.margin
    weight = sum(lay.widths[f] for f in lay.order)
    xs = [lay.margin]
    for f in lay.order:
        xs.append(xs[-1] + total_w * lay.widths[f] / weight)
    hsize = lay.header_size or lay.size
    header_lines = [
        [
            ln
            for part in (lay.labels.get(f) or DEFAULT_LABELS[f]).split("\n")
            for ln in wrap(part, font=font, size=hsize, width=xs[i + 1] - xs[i] - 2 * PAD_X)
        ]
        for i, f in enumerate(lay.order)
    ]
    header_h = max(len(c) for c in header_lines) * hsize * lay.leading + 2 * lay.padding
    return _Geometry(
        font=font,
        pagesize=(float(pagesize[0]), float(pagesize[1])),
        xs=xs,
        header_lines=header_lines,
        header_h=header_h,
        title_h=24.0 if lay.title else 0.0,
        top0=lay.margin + 8.0,
    )


def make_table_pdf(
    path: str | Path,
    programs: Sequence[dict[str, Any]],
    *,
    layout: Layout | None = None,
    encrypt: tuple[str, str] | None = None,
    **options: Any,
) -> Path:
    """Write ``programs`` as a table PDF at ``path``; ``options`` override fields of ``layout``.

    ``encrypt`` is (user password, owner password); an empty user password opens without asking.
    """
    lay = replace(layout or Layout(), **options)
    geo = _geometry(lay)
    rows = [
        [
            wrap(_cell_text(p, f), font=geo.font, size=lay.size, width=geo.xs[i + 1] - geo.xs[i] - 2 * PAD_X)
            for i, f in enumerate(lay.order)
        ]
        for p in programs
    ]
    pages = _paginate(lay, geo, rows)
    out = Path(path)
    enc = None
    if encrypt is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        enc = StandardEncryption(encrypt[0], encrypt[1], canPrint=1, canCopy=0)
    canvas = Canvas(str(out), pagesize=geo.pagesize, encrypt=enc)
    canvas.setTitle("事務事業評価結果一覧")
    for pno, pieces in enumerate(pages):
        _draw_page(canvas, lay, geo, pno, pieces, total_pages=len(pages))
        canvas.showPage()
    canvas.save()
    return out


def _paginate(lay: Layout, geo: _Geometry, rows: list[list[list[str]]]) -> list[list[tuple[float, _Piece]]]:
    """Rows placed on pages (top of each piece, the piece); a row too tall for the page is split."""
    pitch = lay.size * lay.leading
    bottom_limit = geo.page_h - lay.margin
    pages: list[list[tuple[float, _Piece]]] = [[]]
    y = geo.top0 + geo.title_h + geo.header_h

    def new_page() -> float:
        pages.append([])
        return geo.top0 + (geo.header_h if lay.repeat_header else 0.0)

    for cells in rows:
        remaining = [list(c) for c in cells]
        first = True
        while True:
            n = max((len(c) for c in remaining), default=0)
            height = max(n, 1) * pitch + 2 * lay.padding
            if y + height <= bottom_limit:
                pages[-1].append((y, _Piece(remaining, height, first)))
                y += height
                break
            fit = int((bottom_limit - y - 2 * lay.padding) // pitch)
            page_empty = not pages[-1] or y <= geo.top0 + geo.header_h + 0.1
            if (lay.split_rows and fit >= 2) or (page_empty and fit >= 1):
                head = [c[:fit] for c in remaining]
                tail = [c[fit:] for c in remaining]
                h = fit * pitch + 2 * lay.padding
                pages[-1].append((y, _Piece(head, h, first)))
                remaining, first = tail, False
            y = new_page()
    return pages


def _draw_page(
    canvas: Canvas,
    lay: Layout,
    geo: _Geometry,
    pno: int,
    pieces: list[tuple[float, _Piece]],
    *,
    total_pages: int,
) -> None:
    xs, page_h, m = geo.xs, geo.page_h, lay.margin
    y = geo.top0
    if pno == 0 and lay.title:
        canvas.setFont(geo.font, 12)
        canvas.drawString(m, page_h - (y + 12), lay.title)
        y += geo.title_h
    if pno == 0 or lay.repeat_header:
        hsize = lay.header_size or lay.size
        _draw_row(
            canvas, lay, geo.font, hsize, xs, y, geo.header_h, geo.header_lines, page_h, center=True,
            distribute=lay.header_distributed,
        )  # fmt: skip
        if lay.lines in ("grid", "header_rule"):
            canvas.line(xs[0], page_h - y, xs[-1], page_h - y)
            canvas.line(xs[0], page_h - (y + geo.header_h), xs[-1], page_h - (y + geo.header_h))
    for py, piece in pieces:
        middle = lay.valign == "middle" and piece.first and len(pieces) > 0
        cells = [list(c) for c in piece.cells]
        _draw_row(
            canvas, lay, geo.font, lay.size, xs, py, piece.height, cells, page_h, center=False, middle=middle
        )
    if lay.lines == "grid" and pieces:
        _draw_grid(canvas, lay, geo, pno, pieces)
    if lay.footer:
        text = f"- {pno + 1} -" if lay.footer == "dash" else f"{pno + 1} / {total_pages}"
        canvas.setFont(geo.font, 9)
        canvas.drawCentredString(geo.page_w / 2, m / 2, text)
    if lay.print_date:
        canvas.setFont(geo.font, 8)
        canvas.drawRightString(geo.page_w - m, page_h - m / 2, lay.print_date)


def _draw_grid(
    canvas: Canvas, lay: Layout, geo: _Geometry, pno: int, pieces: list[tuple[float, _Piece]]
) -> None:
    xs, page_h = geo.xs, geo.page_h
    table_top = geo.top0 + (geo.title_h if pno == 0 else 0.0)
    if not (pno == 0 or lay.repeat_header):
        table_top = pieces[0][0]
    table_bottom = pieces[-1][0] + pieces[-1][1].height
    for x in xs:
        canvas.line(x, page_h - table_top, x, page_h - table_bottom)
    canvas.line(xs[0], page_h - table_top, xs[-1], page_h - table_top)
    for py, piece in pieces:
        canvas.line(xs[0], page_h - (py + piece.height), xs[-1], page_h - (py + piece.height))


def _draw_row(
    canvas: Canvas,
    lay: Layout,
    font: str,
    size: float,
    xs: list[float],
    top: float,
    height: float,
    cells: list[list[str]],
    page_h: float,
    *,
    center: bool,
    middle: bool = False,
    distribute: bool = False,
) -> None:
    canvas.setFont(font, size)
    pitch = size * lay.leading
    for ci, lines in enumerate(cells):
        if not lines:
            continue
        block = len(lines) * pitch
        y0 = top + lay.padding
        if center or middle:
            y0 = top + (height - block) / 2
        for k, text in enumerate(lines):
            baseline = y0 + k * pitch + (pitch - size) / 2 + size * 0.88
            if distribute and len(lines) == 1 and len(text) > 1:
                step = (xs[ci + 1] - xs[ci] - 6.0 - size) / (len(text) - 1)
                for j, ch in enumerate(text):
                    canvas.drawString(xs[ci] + 3.0 + j * step, page_h - baseline, ch)
            elif center:
                canvas.drawCentredString((xs[ci] + xs[ci + 1]) / 2, page_h - baseline, text)
            else:
                canvas.drawString(xs[ci] + 3.0, page_h - baseline, text)


def load_truth() -> dict[str, Any]:
    """The answer key of the FY2024 sample (r6_sample.pdf)."""
    path = SHARED_FIXTURES / "r6_truth.json"
    data: dict[str, Any] = json.loads((path if path.exists() else TRUTH_COPY).read_text(encoding="utf-8"))
    return data


def sample_pdf() -> Path:
    """The FY2024 sample table as a spreadsheet program prints it."""
    path = SHARED_FIXTURES / "r6_sample.pdf"
    return path if path.exists() else SAMPLE_COPY


# --- synthetic programs -------------------------------------------------------------------------

_BUREAUS = [
    "市長公室",
    "総務部",
    "政策イノベーション部",
    "財務部",
    "市民部",
    "福祉部",
    "保健部",
    "こども部",
    "経済部",
    "生活環境部",
    "建設部",
    "都市計画部",
    "教育局",
    "消防本部",
]
_SECTIONS = [
    "総務課",
    "企画課",
    "広報戦略課",
    "危機管理課",
    "市民活動課",
    "障害福祉課",
    "健康増進課",
    "こども政策課",
    "産業振興課",
    "環境保全課",
    "道路整備課",
    "公園・施設課",
    "学務課",
    "予防課",
]
_THEMES = [
    "地域防災",
    "子育て支援",
    "高齢者見守り",
    "商店街活性化",
    "空き家対策",
    "スマートシティ推進",
    "ＩＣＴ教育",
    "公共交通",
    "健康づくり",
    "文化芸術振興",
    "国際交流",
    "移住・定住促進",
    "ごみ減量化",
    "道路維持管理",
    "生涯学習",
    "障害者就労支援",
    "〇〇地区まちづくり",
]
_SUFFIX = ["事業", "推進事業", "支援事業", "管理業務", "運営事業", "補助事業"]
_PURPOSES = [
    "{t}に関する市民の意識を高め、安全で安心して暮らせるまちを実現する。",
    "{t}の取組を通じて、誰もが住み慣れた地域でいきいきと暮らせる環境を整える。",
    "市民ニーズを踏まえた{t}を推進し、持続可能な行政サービスの提供を図る。",
    "関係機関と連携して{t}を進め、地域課題の解決につなげる。",
]
_OVERVIEWS = [
    "{t}に係る計画を策定し、関係各課と連携して施策を実施する。",
    "市内{n}か所で説明会を開催し、参加者の意見を施策に反映する。",
    "補助金交付要綱に基づき、対象団体に対して経費の一部を補助する（上限{n}万円）。",
    "ＳＮＳや市ホームページ、広報紙等を活用して情報を発信する。",
    "Society 5.0 の実現に向け、Tsukuba Smart City の取組と連携する。",
    "委託事業者と定例会議を月１回開催し、進捗管理を行う。",
]
_OUTCOMES = [
    "令和６年度は{n}回実施し、延べ{m}人が参加した。",
    "参加者アンケートの満足度は{p}％となり、目標値を達成した。",
    "実施回数\u3000{n}回（前年度比{k}回増）",
    "目標値には達しなかったが、前年度実績を上回った。",
]
_NOTES = ["※ 数値は令和７年３月３１日時点のもの。", "○ 事業費は決算見込額による。"]


def _fw(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _fill(rng: random.Random, template: str, theme: str) -> str:
    return template.format(
        t=theme,
        n=_fw(rng.randint(2, 60)),
        m=_fw(rng.randint(100, 9000)),
        p=_fw(rng.randint(60, 99)),
        k=_fw(rng.randint(1, 9)),
    )


def _paragraphs(rng: random.Random, pool: list[str], theme: str, *, lo: int, hi: int) -> str:
    count = rng.randint(lo, hi)
    style = rng.choice(["plain", "bullet", "number", "plain"])
    paras: list[str] = []
    for i in range(count):
        text = "".join(_fill(rng, rng.choice(pool), theme) for _ in range(rng.randint(1, 3)))
        if style == "bullet":
            text = "・" + text
        elif style == "number":
            text = "①②③④⑤⑥⑦⑧⑨"[i % 9] + text
        paras.append(text)
    return "\n".join(paras)


def _outcome(rng: random.Random, theme: str) -> str:
    text = _paragraphs(rng, _OUTCOMES, theme, lo=1, hi=4)
    if rng.random() < 0.3:
        text += "\n" + rng.choice(_NOTES)
    return text


def make_programs(n: int, seed: int = 0, *, id_style: str = "plain") -> list[dict[str, Any]]:
    """``n`` realistic programs: long names that wrap, bullets, full-width digits, U+3000, 〇."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for i in range(1, n + 1):
        theme = rng.choice(_THEMES)
        name = theme + rng.choice(_SUFFIX)
        if rng.random() < 0.15:
            name += "（旧：" + rng.choice(_THEMES) + "事業）"
        if id_style == "code":
            pid = f"{rng.randint(1, 12):02d}-{rng.randint(1, 30):02d}-{i:04d}"
        elif id_style == "fullwidth":
            pid = _fw(1000 + i)
        else:
            pid = str(i * 3 + 100)
        out.append(
            {
                "no": i,
                "program_id": pid,
                "name": name,
                "department": rng.choice(_BUREAUS) + rng.choice(_SECTIONS),
                "purpose": _fill(rng, rng.choice(_PURPOSES), theme),
                "overview": _paragraphs(rng, _OVERVIEWS, theme, lo=1, hi=4),
                "outcome": "" if rng.random() < 0.02 else _outcome(rng, theme),
            }
        )
    return out
