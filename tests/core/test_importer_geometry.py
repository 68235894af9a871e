"""A page is read as printed, whatever its user space: /Rotate, a MediaBox off the origin, a CropBox,
a page shrunk by its CTM, printed sideways, condensed with Tz.

The variants are made at test time from committed producer fixtures by
tests/fixtures/producers/prod_geometry.py (pypdfium2 only), which checks that each prints exactly
like its base; here each must be read to the same bar as the committed fixtures, and its characters
and rules must come out where the base's are.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import cast

import pytest
from PIL import Image, ImageChops

from evaldesk.importer import parse_pdf
from evaldesk.importer.crops import crop_png
from evaldesk.importer.pdfchars import PageChars, open_pdf
from tests.core.test_importer_producers import EXACT_SHARE, PRODUCERS, _rates, silent_wrong

sys.path.insert(0, str(PRODUCERS))
import prod_geometry

VARIANTS = {v.name: v for v in prod_geometry.VARIANTS}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    into = tmp_path_factory.mktemp("geometry")
    for v in VARIANTS.values():
        prod_geometry.make(v, into)
    return into


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_reads_cell_exact_and_never_silently_wrong(made: Path, name: str) -> None:
    programs = json.loads((made / f"{name}.json").read_text(encoding="utf-8"))["programs"]
    table = parse_pdf(made / f"{name}.pdf")
    cells, loose, exact, misses = _rates(table, programs)
    assert [r.program_id for r in table.rows] == [p["program_id"] for p in programs]
    assert [r.no for r in table.rows] == [p["no"] for p in programs]
    assert loose == cells, "\n".join(misses[:10])
    assert exact >= EXACT_SHARE * cells, "\n".join(misses[:10])
    assert not silent_wrong(table, programs)


def _pages(path: Path) -> list[PageChars]:
    with open_pdf(path) as doc:
        return [doc.read_page(i) for i in range(doc.page_count)]


def _near(a: float, b: float) -> bool:
    return abs(a - b) < 0.05


@pytest.mark.parametrize("name", sorted(n for n, v in VARIANTS.items() if "Tz" not in v.source))
def test_variant_page_reads_like_its_upright_base(made: Path, name: str) -> None:
    v = VARIANTS[name]
    k = v.scale
    turned = _pages(made / f"{name}.pdf")[v.front :]
    for got, want in zip(turned, _pages(PRODUCERS / f"{v.base}.pdf"), strict=True):
        assert (round(got.width), round(got.height)) == (round(want.width * k), round(want.height * k))
        assert "".join(c.text for c in got.chars) == "".join(c.text for c in want.chars)
        for g, w in zip(got.chars, want.chars, strict=True):
            assert _near(g.x0, w.x0 * k) and _near(g.x1, w.x1 * k) and _near(g.top, w.top * k), (g, w)
            assert _near(g.size, w.size * k), (g, w)  # the size printed, not the font size asked for
        # Rules shorter than 8 pt are not read (glyph strokes); a shrunk page has fewer that long.
        kept = [r for r in want.vrules if (r[2] - r[1]) * k >= 8.0]
        assert len(got.vrules) == len(kept)
        hrules = sorted(r for r in want.hrules if (r[2] - r[1]) * k >= 8.0)
        for (gy, gx0, gx1), (wy, wx0, wx1) in zip(sorted(got.hrules), hrules, strict=True):
            assert _near(gy, wy * k) and _near(gx0, wx0 * k) and _near(gx1, wx1 * k)


def test_condensed_by_tz_reads_like_condensed_by_text_matrix(made: Path) -> None:
    by_tz = parse_pdf(made / "geom_tz80_writer_condensed.pdf")
    by_matrix = parse_pdf(PRODUCERS / "writer_condensed80_mincho10_justified.pdf")
    assert by_tz.rows == by_matrix.rows


@pytest.mark.parametrize(
    "name", ["geom_bleed_rot270_gs_weasy", "geom_sideways_rl_longtable", "geom_tilt1_calc_grid_center"]
)
def test_doubt_picture_of_a_turned_page_shows_the_cell_as_printed(made: Path, name: str) -> None:
    paths = (made / f"{name}.pdf", PRODUCERS / f"{VARIANTS[name].base}.pdf")
    rows = [parse_pdf(p).rows[2] for p in paths]
    assert rows[0] == rows[1]  # same texts, same page and place
    source = rows[0].source
    assert source is not None
    box = (30.0, source.top, 400.0, source.bottom)
    pictures = [Image.open(io.BytesIO(crop_png(p.read_bytes(), page=source.page, box=box))) for p in paths]
    assert pictures[0].size == pictures[1].size
    diff = ImageChops.difference(pictures[0].convert("L"), pictures[1].convert("L"))
    assert cast(tuple[int, int], diff.getextrema())[1] < 64
