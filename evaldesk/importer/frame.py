"""Where a PDF page's user space lands on the page as printed: its visible box and its /Rotate.

PDFium reports characters and paths in the page's user space, whose origin is the corner of the
MediaBox (often not at 0, 0) and which a /Rotate 90, 180 or 270 turns before display: a landscape
table that a print driver or scanner stored as a rotated portrait page runs down the page in user
space. The importer reads the page as a person sees it: the origin is moved to the top-left of the
visible box (CropBox ∩ MediaBox), and a rotated page's objects are turned upright in memory before
its text is read (PDFium drops the spaces that end a line of text it reads sideways); so is a page
whose text runs sideways or tilted without a /Rotate (see pdfchars).
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass

import pypdfium2.raw as pdfium


@dataclass(frozen=True, slots=True)
class Frame:
    """The visible box of an upright page in user space: x0, y0 (bottom-left) to x1, y1."""

    x0: float
    y0: float
    x1: float
    y1: float
    cropped: bool = False  # a CropBox hides part of the MediaBox: what lies outside is not printed

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
        crop = [ctypes.c_float() for _ in range(4)]
        cropped = bool(pdfium.FPDFPage_GetCropBox(page, *(ctypes.byref(v) for v in crop)))
        return Frame(float(rect.left), low, float(rect.right), high, cropped)
    return Frame(0.0, 0.0, float(pdfium.FPDF_GetPageWidthF(page)), float(pdfium.FPDF_GetPageHeightF(page)))


def page_frame(page: pdfium.FPDF_PAGE) -> Frame:
    """The visible box of ``page``; a page with /Rotate is first turned upright (in memory only), so
    that its characters and rules read as printed."""
    box = _visible_box(page)
    quarter = int(pdfium.FPDFPage_GetRotation(page)) % 4
    return turn_page(page, box, quarter * math.pi / 2) if quarter else box


def turn_page(page: pdfium.FPDF_PAGE, box: Frame, angle: float) -> Frame:
    """Turn ``page``'s objects clockwise by ``angle`` (radians) about the middle of its visible ``box``,
    in memory, so that text printed at that angle (counter-clockwise) runs across; the box, turned,
    becomes the new page (origin at 0, 0, no /Rotate). Return the new box."""
    cos, sin = math.cos(angle), math.sin(angle)
    cos, sin = (0.0 if abs(cos) < 1e-12 else cos), (0.0 if abs(sin) < 1e-12 else sin)
    quarter = round(angle / (math.pi / 2)) % 4
    width, height = (box.height, box.width) if quarter % 2 else (box.width, box.height)
    mid_x, mid_y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    a, b, c, d = cos, -sin, sin, cos
    e, f = width / 2 - (a * mid_x + c * mid_y), height / 2 - (b * mid_x + d * mid_y)
    for i in range(int(pdfium.FPDFPage_CountObjects(page))):
        pdfium.FPDFPageObj_Transform(pdfium.FPDFPage_GetObject(page, i), a, b, c, d, e, f)
    pdfium.FPDFPage_SetRotation(page, 0)
    pdfium.FPDFPage_SetMediaBox(page, 0.0, 0.0, width, height)
    pdfium.FPDFPage_SetCropBox(page, 0.0, 0.0, width, height)
    return Frame(0.0, 0.0, width, height, box.cropped)
