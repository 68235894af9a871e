"""Open a PDF with PDFium and read its characters and ruling lines, mapping failures to typed errors."""

from __future__ import annotations

import array
import ctypes
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2.raw as pdfium

from evaldesk.errors import (
    DamagedPdfError,
    EmptyFileError,
    NotAPdfError,
    PasswordRequiredError,
    TooComplexPdfError,
)
from evaldesk.importer.frame import Frame, page_frame, turn_page
from evaldesk.importer.limits import MAX_PAGE_CHARS, MAX_PAGE_CONTENT, MAX_PAGE_OBJECTS, oversized_page

# Characters PDFium reports that carry no printed text.
_SKIP_CODES = {0x0000, 0x000A, 0x000D, 0xFFFE, 0xFFFF, 0x00AD}
_SPACE_CODES = {0x0020, 0x00A0, 0x0009}


@dataclass(slots=True)
class Char:
    """One printed character; coordinates in points from the page's top-left corner."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    cy: float = field(init=False)  # the vertical centre, read often enough to be stored

    def __post_init__(self) -> None:
        self.cy = (self.top + self.bottom) / 2


@dataclass(slots=True)
class PageChars:
    """The characters of one page, plus what is needed to explain a page without them."""

    index: int
    width: float
    height: float
    chars: list[Char]
    hrules: list[tuple[float, float, float]]  # (y, x0, x1) of thin horizontal lines
    images: int
    unmapped: int  # characters without a Unicode mapping (no ToUnicode)
    vrules: list[tuple[float, float, float]] = field(default_factory=list)  # (x, top, bottom)
    unmapped_at: list[tuple[float, float]] = field(default_factory=list)  # (x, y) of sampled unmapped


class PdfDocument:
    """A loaded PDFium document; use :func:`open_pdf`."""

    def __init__(
        self, handle: pdfium.FPDF_DOCUMENT, name: str, *, oversized: tuple[int, int] | None = None
    ) -> None:
        self._handle = handle
        self.name = name
        self.page_count = int(pdfium.FPDF_GetPageCount(handle))
        self._oversized = oversized  # (page, size): a page whose content is refused before loading

    def _too_complex(self, index: int, what: str) -> TooComplexPdfError:
        return TooComplexPdfError(
            f"「{self.name}」の {index + 1} ページ目は{what}ため、取り込めません"
            "（表の PDF ではないか、壊れているか、意図的に重くした PDF です）。",
            path=self.name,
            page=index,
        )

    def read_page(self, index: int) -> PageChars:
        """Characters and rules of page ``index``; raise DamagedPdfError if the page cannot be loaded
        and TooComplexPdfError if it holds more than any table does (see :mod:`.limits`)."""
        if self._oversized is not None and self._oversized[0] == index:
            raise self._too_complex(
                index, f"描画の指示が多すぎる（上限の {MAX_PAGE_CONTENT // 1_000_000} MB 相当を超える）"
            )
        page = pdfium.FPDF_LoadPage(self._handle, index)
        if not page:
            raise DamagedPdfError(
                f"「{self.name}」の {index + 1} ページ目が読み込めません（ファイルが壊れています）。",
                path=self.name,
            )
        try:
            objects = int(pdfium.FPDFPage_CountObjects(page))
            if objects > MAX_PAGE_OBJECTS:
                raise self._too_complex(index, f"図形などの部品が多すぎる（{objects:,} 個）")
            frame = page_frame(page)
            result, angle = self._read(page, index, frame)
            if angle:
                # Most of its text runs up, down, upside down or tilted: a table printed sideways
                # without a /Rotate, a scan's text layer. Read it as a person turning the sheet does.
                result, _ = self._read(page, index, turn_page(page, frame, angle))
        finally:
            pdfium.FPDF_ClosePage(page)
        return result

    def _read(self, page: pdfium.FPDF_PAGE, index: int, frame: Frame) -> tuple[PageChars, float]:
        """The page's characters and rules, and the angle most of its text runs at, if not across."""
        hrules, vrules, images = _page_objects(page, frame)
        where: list[tuple[float, float]] = []
        textpage = pdfium.FPDFText_LoadPage(page)
        if not textpage:
            return PageChars(index, frame.width, frame.height, [], hrules, images, 0, vrules), 0
        try:
            count = int(pdfium.FPDFText_CountChars(textpage))
            if count > MAX_PAGE_CHARS:
                raise self._too_complex(index, f"文字が多すぎる（{count:,} 文字）")
            chars, unmapped, angle = _read_chars(textpage, frame, where)
        finally:
            pdfium.FPDFText_ClosePage(textpage)
        page_chars = PageChars(
            index, frame.width, frame.height, chars, hrules, images, unmapped, vrules, where
        )
        return page_chars, angle

    def close(self) -> None:
        if self._handle:
            pdfium.FPDF_CloseDocument(self._handle)
            self._handle = None


_UNMAP_STRIDE = 4  # the Unicode-map check is per font in effect: sampling every 4th character suffices
_GENERATED_CANDIDATES = _SPACE_CODES | {0x002D}  # PDFium only invents spaces, line ends and hyphens


def _page_codes(textpage: pdfium.FPDF_TEXTPAGE, count: int) -> list[int]:
    """Every character's code point in one call; per character when a code lies outside the BMP."""
    buf = ctypes.create_string_buffer((count + 1) * 2)
    written = int(
        pdfium.FPDFText_GetText(textpage, 0, count, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    )
    codes = list(array.array("H", buf.raw[: max(written - 1, 0) * 2]))
    if len(codes) != count or any(0xD800 <= c < 0xE000 for c in codes):
        get_unicode = pdfium.FPDFText_GetUnicode
        return [int(get_unicode(textpage, i)) for i in range(count)]
    return codes


def _unchecked(fn: Any, restype: Any = ctypes.c_int) -> Any:
    """The same PDFium function, called without ctypes converting and checking each argument: in the
    per-character loop the checks cost three times the call. Callers pass exactly a ``c_void_p``
    handle, a Python int index and a ``byref`` pointer, as the C prototype wants."""
    address = ctypes.cast(fn, ctypes.c_void_p).value
    assert address is not None
    return ctypes.CFUNCTYPE(restype)(address)


_GET_BOX = _unchecked(pdfium.FPDFText_GetLooseCharBox)
_IS_GENERATED = _unchecked(pdfium.FPDFText_IsGenerated)
_UNMAP_ERROR = _unchecked(pdfium.FPDFText_HasUnicodeMapError)
_FONT_SIZE = _unchecked(pdfium.FPDFText_GetFontSize, ctypes.c_double)
_MATRIX = _unchecked(pdfium.FPDFText_GetMatrix)


def _printed_size(handle: ctypes.c_void_p, index: int, matrix: pdfium.FS_MATRIX) -> tuple[float, float]:
    """The size a character is printed at: the font size (Tf) times the vertical scale of its matrix
    (text matrix and CTM; a page a print driver shrank to fit draws 10 pt text at 0.7); and the
    angle (radians, counter-clockwise) its baseline runs at: ±π/2 for a header label turned in a
    narrow column, a fraction of a degree for a scan's tilted text layer, 0.0 across."""
    size = float(_FONT_SIZE(handle, index))
    if not _MATRIX(handle, index, ctypes.byref(matrix)):
        return size, 0.0
    angle = math.atan2(matrix.b, matrix.a)
    return size * math.hypot(matrix.c, matrix.d), (angle if abs(angle) > _TILT else 0.0)


_TILT = 1e-4  # radians (0.006°): less than this is rounding; over a page's width, 0.1°  moves 1.4 pt
_QUARTER = math.pi / 2


def _quarter(angle: float) -> int:
    """The quarter turns (counter-clockwise) nearest ``angle``: 1 runs up the page, 3 down."""
    return round(angle / _QUARTER) % 4


def _page_angle(chars: list[Char], angles: list[float]) -> float:
    """The angle most of the page's text runs at, when it is not across: 0.0 otherwise."""
    if len(angles) <= 0.5 * len(chars):
        return 0.0
    turns = [0, 0, 0, 0]
    for angle in angles:
        turns[_quarter(angle)] += 1
    most = max(range(4), key=turns.__getitem__)
    if turns[most] <= 0.5 * len(chars):
        return 0.0
    same = sorted(a for a in angles if _quarter(a) == most)
    return same[len(same) // 2]  # the median: a few stray angles do not move it


def _upright(chars: list[Char], turned: list[int]) -> list[Char]:
    """Each run of characters printed turned (consecutive, stacked at one x) laid out as one line
    across the middle of the run's box, in reading order: what a person reads as the label
    「No.」 turned in a narrow header cell. Its letters share the run's width, so that the label
    stays inside its column."""
    runs: list[list[int]] = []
    for i in turned:
        ch = chars[i]
        if runs and runs[-1][-1] == i - 1:
            prev = chars[i - 1]
            stacked = abs((ch.x0 + ch.x1) / 2 - (prev.x0 + prev.x1) / 2) < 0.5 * ch.size
            if stacked and max(ch.top, prev.top) - min(ch.bottom, prev.bottom) < 0.6 * ch.size:
                runs[-1].append(i)
                continue
        runs.append([i])
    out = list(chars)
    for run in runs:
        group = [chars[i] for i in run]
        x0, x1 = min(c.x0 for c in group), max(c.x1 for c in group)
        cy = (min(c.top for c in group) + max(c.bottom for c in group)) / 2
        step = (x1 - x0) / len(group)
        for k, (i, ch) in enumerate(zip(run, group, strict=True)):
            half = ch.size / 2
            out[i] = Char(ch.text, x0 + k * step, x0 + (k + 1) * step, cy - half, cy + half, ch.size)
    return out


def _read_chars(
    textpage: pdfium.FPDF_TEXTPAGE, frame: Frame, where: list[tuple[float, float]]
) -> tuple[list[Char], int, float]:
    """The characters (unmapped ones counted), and the angle most of the page's text runs at when
    that is not across (0.0 otherwise): the page is then read again, turned by it."""
    count = int(pdfium.FPDFText_CountChars(textpage))
    if count <= 0:
        return [], 0, 0.0
    handle = ctypes.cast(textpage, ctypes.c_void_p)
    rect = pdfium.FS_RECTF()
    rect_p = ctypes.byref(rect)
    is_generated, get_box, unmap_error = _IS_GENERATED, _GET_BOX, _UNMAP_ERROR
    matrix = pdfium.FS_MATRIX()
    chars: list[Char] = []
    append = chars.append
    unmapped = 0
    last_height = -1.0
    size = 0.0
    angle = 0.0
    odd_at: list[int] = []  # characters whose baseline does not run across the page
    angles: list[float] = []
    shift_x, shift_y = frame.x0, frame.y1  # the visible box's top-left corner (inline: the hot loop)
    for i, code in enumerate(_page_codes(textpage, count)):
        if code in _SKIP_CODES:
            continue
        if code in _GENERATED_CANDIDATES and is_generated(handle, i) == 1:
            continue
        if not get_box(handle, i, rect_p):
            continue
        left, right, top, bottom = (
            rect.left - shift_x,
            rect.right - shift_x,
            shift_y - rect.top,
            shift_y - rect.bottom,
        )
        # Below U+3000 (figures, Latin letters, controls) every character is asked: a font whose map
        # misses a few glyphs turns a figure of an id into 'z' or 'Ĉ', which sampling would pass by.
        sampled = i % _UNMAP_STRIDE == 0
        if (sampled or code < 0x3000) and unmap_error(handle, i) == 1:
            unmapped += _UNMAP_STRIDE if sampled else 1
            # Where, so that the doubt lands on the cell (one font, one column: per file is too coarse).
            where.append(((left + right) / 2, (top + bottom) / 2))
        if code in _SPACE_CODES:
            text = " "
        else:
            if code < 0x20:
                continue
            text = chr(code)
        box_height = bottom - top
        if box_height != last_height:
            # Loose boxes span the font's ascent to descent: the same height means the same font size,
            # so the size is asked once per run instead of once per character.
            size, angle = _printed_size(handle, i, matrix)
            size = size or box_height
            last_height = box_height
        if box_height > 2.5 * size > 0:
            # Some producers give huge loose boxes; centre a box of the font size on the glyph.
            mid = (top + bottom) / 2
            top, bottom = mid - size / 2, mid + size / 2
        if angle:
            odd_at.append(len(chars))
            angles.append(angle)
        append(Char(text, left, right, top, bottom, size))
    page_angle = _page_angle(chars, angles) if odd_at else 0.0
    if page_angle:
        return chars, unmapped, page_angle
    turned = [i for i, a in zip(odd_at, angles, strict=True) if _quarter(a)]
    if turned:
        chars = _upright(chars, turned)
    if frame.cropped:  # outside the CropBox (a print shop's slug line): not printed
        w, h = frame.width, frame.height
        chars = [c for c in chars if c.x1 >= 0.0 and c.x0 <= w and c.bottom >= 0.0 and c.top <= h]
    return chars, unmapped, 0.0


def set_upright(page: pdfium.FPDF_PAGE) -> None:
    """Turn ``page`` in memory as :meth:`PdfDocument.read_page` reads it (its /Rotate, then text
    printed sideways), so that a picture of it shows the characters where the importer placed them."""
    frame = page_frame(page)
    textpage = pdfium.FPDFText_LoadPage(page)
    if not textpage:
        return
    try:
        angle = _read_chars(textpage, frame, [])[2]
    finally:
        pdfium.FPDFText_ClosePage(textpage)
    if angle:
        turn_page(page, frame, angle)


_Rules = list[tuple[float, float, float]]


def _page_objects(page: pdfium.FPDF_PAGE, frame: Frame) -> tuple[_Rules, _Rules, int]:
    """Thin horizontal and vertical path objects (table rules) and the number of images on a page."""
    rules: _Rules = []
    vrules: _Rules = []
    images = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    refs = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    for i in range(int(pdfium.FPDFPage_CountObjects(page))):
        obj = pdfium.FPDFPage_GetObject(page, i)
        kind = pdfium.FPDFPageObj_GetType(obj)
        if kind == pdfium.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == pdfium.FPDF_PAGEOBJ_PATH and pdfium.FPDFPageObj_GetBounds(obj, *refs):
            x0, x1, y0, y1 = frame.place(left.value, bottom.value, right.value, top.value)
            if x1 < 0.0 or x0 > frame.width or y1 < 0.0 or y0 > frame.height:
                continue  # outside the CropBox: crop marks
            if y1 - y0 <= 3.0 and x1 - x0 >= 8.0:
                rules.append(((y0 + y1) / 2, x0, x1))
            elif x1 - x0 <= 3.0 and y1 - y0 >= 8.0:
                vrules.append(((x0 + x1) / 2, y0, y1))
    return rules, vrules, images


def _oversized(path: Path, name: str) -> tuple[int, int] | None:
    try:
        return oversized_page(path.read_bytes())
    except OSError as exc:
        raise DamagedPdfError(f"「{name}」を読み込めません（{exc.strerror}）。", path=str(path)) from exc


def _check_bytes(path: Path, name: str) -> None:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, size - 2048))
            tail = fh.read()
    except OSError as exc:
        raise DamagedPdfError(f"「{name}」を読み込めません（{exc.strerror}）。", path=str(path)) from exc
    if size == 0 or not head.strip():
        raise EmptyFileError(f"「{name}」は空のファイルです。", path=str(path))
    if b"%PDF-" not in head:
        raise NotAPdfError(f"「{name}」は PDF ファイルではありません。", path=str(path))
    if b"%%EOF" not in tail:
        raise DamagedPdfError(
            f"「{name}」は途中で切れているか壊れているため、取り込めません。", path=str(path)
        )


@contextmanager
def open_pdf(path: str | os.PathLike[str], *, password: str | None = None) -> Iterator[PdfDocument]:
    """Open ``path`` with PDFium, raising the typed errors of :mod:`evaldesk.errors`."""
    p = Path(path)
    name = p.name
    _check_bytes(p, name)
    oversized = _oversized(p, name)
    pw = password.encode("utf-8") if password else None
    handle = pdfium.FPDF_LoadDocument(os.fsencode(p), pw)
    if not handle:
        err = int(pdfium.FPDF_GetLastError())
        if err == pdfium.FPDF_ERR_PASSWORD:
            if password:
                raise PasswordRequiredError(f"「{name}」のパスワードが違います。", path=str(p), wrong=True)
            raise PasswordRequiredError(
                f"「{name}」はパスワードで保護されているため、パスワードを入力してください。", path=str(p)
            )
        if err == pdfium.FPDF_ERR_SECURITY:
            raise PasswordRequiredError(
                f"「{name}」は対応していない方式で暗号化されているため開けません。", path=str(p)
            )
        raise DamagedPdfError(f"「{name}」は壊れているため、取り込めません。", path=str(p))
    doc = PdfDocument(handle, name, oversized=oversized)
    try:
        if doc.page_count <= 0:
            raise DamagedPdfError(f"「{name}」にはページがありません。", path=str(p))
        yield doc
    finally:
        doc.close()
