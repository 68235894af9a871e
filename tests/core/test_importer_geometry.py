"""A page is read as printed, whatever its user space: /Rotate, a MediaBox off the origin, a CropBox.

The geom_* fixtures (tests/fixtures/producers/prod_geometry.py) print exactly like the fixture they were
made from; here their characters, rules and cell pictures must come out the same as the base's too.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from evaldesk.importer import parse_pdf
from evaldesk.importer.crops import crop_png
from evaldesk.importer.pdfchars import PageChars, open_pdf

PRODUCERS = Path(__file__).resolve().parents[1] / "fixtures" / "producers"
# variant -> the fixture it was made from and its scale (see VARIANTS in prod_geometry.py)
BASES = {
    "geom_rot90_calc_grid_center": ("calc_grid_center_gothic11", 1.0),
    "geom_rot_mixed_weasy_zebra": ("weasy_zebra_gothic10_grouped", 1.0),
    "geom_bleed_rot270_gs_weasy": ("gs_weasy_grid_gothic9", 1.0),
    "geom_shrink71_rot90_glyph_none": ("glyph_none_udgothic7_once", 0.7071),
}


def _pages(name: str) -> list[PageChars]:
    with open_pdf(PRODUCERS / f"{name}.pdf") as doc:
        return [doc.read_page(i) for i in range(doc.page_count)]


def _near(a: float, b: float) -> bool:
    return abs(a - b) < 0.05


@pytest.mark.parametrize("variant", sorted(BASES))
def test_turned_or_cropped_page_reads_like_its_upright_base(variant: str) -> None:
    base, k = BASES[variant]
    for got, want in zip(_pages(variant), _pages(base), strict=True):
        assert (round(got.width), round(got.height)) == (round(want.width * k), round(want.height * k))
        assert "".join(c.text for c in got.chars) == "".join(c.text for c in want.chars)
        for g, w in zip(got.chars, want.chars, strict=True):
            assert _near(g.x0, w.x0 * k) and _near(g.x1, w.x1 * k) and _near(g.top, w.top * k), (g, w)
            assert _near(g.size, w.size * k), (g, w)  # the size printed, not the font size asked for
        assert len(got.hrules) == len(want.hrules) and len(got.vrules) == len(want.vrules)
        for (gy, gx0, gx1), (wy, wx0, wx1) in zip(sorted(got.hrules), sorted(want.hrules), strict=True):
            assert _near(gy, wy * k) and _near(gx0, wx0 * k) and _near(gx1, wx1 * k)


def test_doubt_picture_of_a_rotated_page_shows_the_cell_as_printed() -> None:
    names = ("geom_bleed_rot270_gs_weasy", "gs_weasy_grid_gothic9")
    rows = [parse_pdf(PRODUCERS / f"{n}.pdf").rows[2] for n in names]
    assert rows[0] == rows[1]  # same texts, same page and place
    source = rows[0].source
    assert source is not None
    box = (30.0, source.top, 400.0, source.bottom)
    pictures = [
        Image.open(io.BytesIO(crop_png((PRODUCERS / f"{n}.pdf").read_bytes(), page=source.page, box=box)))
        for n in names
    ]
    assert pictures[0].size == pictures[1].size
    diff = ImageChops.difference(pictures[0].convert("L"), pictures[1].convert("L"))
    assert diff.getextrema()[1] < 64
