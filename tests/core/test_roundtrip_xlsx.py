"""The small .xlsx reader reads what Excel writes: furigana runs, rich text, escaped CR, inline strings."""

from __future__ import annotations

import io
import zipfile

from evaldesk.roundtrip.meta import cell_text
from evaldesk.roundtrip.xlsx import read_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _book(shared: str, sheet_data: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="事務事業" sheetId="1" r:id="rId1"/>'
            '<sheet name="evaldesk" sheetId="2" state="veryHidden" r:id="rId2"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/>'
            '<Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml" Type="x"/></Relationships>',
        )
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{shared}</sst>')
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>',
        )
        z.writestr("xl/worksheets/sheet2.xml", f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>')
        z.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dcterms="http://purl.org/dc/terms/"><dcterms:modified>2025-01-10T03:04:05Z</dcterms:modified>'
            "</cp:coreProperties>",
        )
    return buf.getvalue()


def test_excel_shapes_of_strings_and_numbers() -> None:
    shared = (
        '<si><t>防災</t><rPh sb="0" eb="2"><t>ボウサイ</t></rPh><phoneticPr fontId="1"/></si>'  # furigana
        '<si><r><t>太字</t></r><r><rPr><b/></rPr><t>と普通</t></r><rPh sb="0" eb="1"><t>フト</t></rPh></si>'
        "<si><t>一行目_x000D_\n二行目</t></si>"
    )
    rows = (
        '<row r="3"><c r="A3" t="s"><v>0</v></c><c r="C3" t="s"><v>1</v></c><c r="D3" t="s"><v>2</v></c></row>'
        '<row r="5"><c r="B5" t="inlineStr"><is><t>手入力</t></is></c><c r="E5"><v>12</v></c>'
        '<c r="F5" t="b"><v>1</v></c></row>'
    )
    book = read_xlsx(_book(shared, rows), ["事務事業", "evaldesk"])
    assert book.sheet_names == ("事務事業", "evaldesk") and book.states["evaldesk"] == "veryHidden"
    grid = book.sheets["事務事業"]
    assert grid[2] == ["防災", None, "太字と普通", "一行目\r\n二行目"]
    assert [cell_text(v) for v in grid[4]] == ["", "手入力", "", "", "12", "True"]
    assert cell_text(grid[2][3]) == "一行目\n二行目"  # line ends as evaldesk stores them
    assert book.sheets["evaldesk"] == []
    assert book.modified is not None and book.modified.year == 2025
