"""A cell of a PDF page as a PNG picture, so that a doubtful cell can be read beside its text."""

from __future__ import annotations

import io

import pypdfium2 as pdfium

from evaldesk.errors import DamagedPdfError
from evaldesk.importer.pdfchars import set_upright

MARGIN = 6.0  # points shown around the cell: its rules and a little of the neighbours


def crop_png(
    data: bytes,
    *,
    page: int,
    box: tuple[float, float, float, float],
    password: str | None = None,
    scale: float = 2.0,
) -> bytes:
    """Render ``box`` (x0, top, x1, bottom in points from the top-left) of ``page`` as PNG bytes."""
    try:
        doc = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        raise DamagedPdfError("PDF を開けないため、セルの画像を作れません。") from exc
    try:
        pg = doc[page]
        try:
            set_upright(pg.raw)  # the cell's box is where the importer read it: on the page turned upright
            width, height = pg.get_size()
            x0, top, x1, bottom = box
            left = max(0.0, x0 - MARGIN)
            right = max(0.0, width - x1 - MARGIN)
            above = max(0.0, top - MARGIN)
            below = max(0.0, height - bottom - MARGIN)
            if left + right >= width or above + below >= height:
                raise DamagedPdfError("セルの位置がページの外にあるため、画像を作れません。")
            bitmap = pg.render(scale=scale, crop=(left, below, right, above))
            image = bitmap.to_pil()
            out = io.BytesIO()
            image.save(out, format="PNG")
            return out.getvalue()
        finally:
            pg.close()
    finally:
        doc.close()
