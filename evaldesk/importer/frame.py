"""Where a PDF page's user space lands on the page as printed: its visible box and its /Rotate.

PDFium reports characters and paths in the page's user space, whose origin is the corner of the
MediaBox (often not at 0, 0) and which a /Rotate 90, 180 or 270 turns before display: a landscape
table that a print driver or scanner stored as a rotated portrait page runs down the page in user
space. The importer reads the page as a person sees it: the origin is moved to the top-left of the
visible box (CropBox ∩ MediaBox), and a rotated page's objects are turned upright in memory before
its text is read (PDFium drops the spaces that end a line of text it reads sideways).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2.raw as pdfium


@dataclass(frozen=True, slots=True)
class Frame:
    """The visible box of an upright page in user space: x0, y0 (bottom-left) to x1, y1."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def place(
        self, left: float, bottom: float, right: float, top: float
    ) -> tuple[float, float, float, float]:
        """A user-space rectangle as (x0, x1, top, bottom) from the page's top-left, y growing downwards."""
        return left - self.x0, right - self.x0, self.y1 - top, self.y1 - bottom


def _visible_box(page: pdfium.FPDF_PAGE) -> Frame:
    rect = pdfium.FS_RECTF()
    if pdfium.FPDF_GetPageBoundingBox(page, ctypes.byref(rect)) and rect.right > rect.left:
        low, high = sorted((float(rect.bottom), float(rect.top)))
        return Frame(float(rect.left), low, float(rect.right), high)
    return Frame(0.0, 0.0, float(pdfium.FPDF_GetPageWidthF(page)), float(pdfium.FPDF_GetPageHeightF(page)))


def _turn(box: Frame, quarter: int) -> tuple[float, float, float, float, float, float]:
    """The matrix (a, b, c, d, e, f) taking user space to the printed page turned ``quarter`` x 90°
    clockwise, origin at its bottom-left corner."""
    if quarter == 1:
        return (0.0, -1.0, 1.0, 0.0, -box.y0, box.x1)
    if quarter == 2:
        return (-1.0, 0.0, 0.0, -1.0, box.x1, box.y1)
    return (0.0, 1.0, -1.0, 0.0, box.y1, -box.x0)


def page_frame(page: pdfium.FPDF_PAGE) -> Frame:
    """The visible box of ``page``; a page with /Rotate is first turned upright (in memory only), so
    that its characters and rules read as printed."""
    box = _visible_box(page)
    quarter = int(pdfium.FPDFPage_GetRotation(page)) % 4
    return turn_page(page, box, quarter) if quarter else box


def turn_page(page: pdfium.FPDF_PAGE, box: Frame, quarter: int) -> Frame:
    """Turn ``page``'s objects ``quarter`` x 90° clockwise in memory, its visible ``box`` becoming the
    new page (origin at 0, 0, no /Rotate); return the new box."""
    a, b, c, d, e, f = _turn(box, quarter)
    for i in range(int(pdfium.FPDFPage_CountObjects(page))):
        pdfium.FPDFPageObj_Transform(pdfium.FPDFPage_GetObject(page, i), a, b, c, d, e, f)
    width, height = (box.height, box.width) if quarter % 2 else (box.width, box.height)
    pdfium.FPDFPage_SetRotation(page, 0)
    pdfium.FPDFPage_SetMediaBox(page, 0.0, 0.0, width, height)
    pdfium.FPDFPage_SetCropBox(page, 0.0, 0.0, width, height)
    return Frame(0.0, 0.0, width, height)
