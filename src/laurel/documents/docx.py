"""Render a layout Document as .docx with python-docx.

Body type is 仿宋 小四 (12 pt). Word on Windows gets the East Asian font 仿宋_GB2312 with the
font table telling it to use 仿宋 (FangSong) where 仿宋_GB2312 is not installed; titles use
方正小标宋简体 → 宋体 (SimSun), headings 黑体 (SimHei)."""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.table import _Cell, _Row
from lxml import etree

from laurel.documents.layout import Document, PageBreak, Para, Table

BODY_FONT = ("仿宋_GB2312", "FangSong")  # East Asian name, Latin name
TITLE_FONT = ("方正小标宋简体", "SimSun")
HEADING_FONT = ("黑体", "SimHei")
# Word substitutes by the font table's altName when a font is missing.
FONT_ALTERNATES = {"仿宋_GB2312": "仿宋", "方正小标宋简体": "宋体", "黑体": "SimHei"}

STYLES = {
    # style: (font, size pt, bold, alignment, space before pt, space after pt, first-line indent)
    "body": (BODY_FONT, 12, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 0, 0),
    "title": (TITLE_FONT, 22, False, WD_ALIGN_PARAGRAPH.CENTER, 12, 12, 0),
    "subtitle": (TITLE_FONT, 16, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 12, 0),
    "attachment": (HEADING_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 6, 0),
    "heading": (HEADING_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 6, 6, 0),
    "cover": (BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 18, 0, 2.5),
    "note": (BODY_FONT, 10.5, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 0),
    "center": (BODY_FONT, 12, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, 0),
    "right": (BODY_FONT, 12, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, 0, 0),
    "official": (BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 0, 0.85),  # 3号, 2 chars
    "official-left": (BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 0),
    "signature": (BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, 0, 0),
}


def _set_font(run, font, size, bold=False):
    """Fonts of a run or a style: Latin and East Asian names, size, weight."""
    east_asian, latin = font
    run.font.name = latin
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:ascii"), latin)


class _Styles:
    """One paragraph style per layout style (and table type size), made on first use, so each
    paragraph only names its style instead of carrying its own run formatting."""

    def __init__(self, document):
        self.document = document
        self.made: dict[tuple, object] = {}

    def get(self, style: str, size: float | None = None):
        key = (style, size)
        if key not in self.made:
            font, pt, bold, align, before, after, indent = STYLES[style]
            made = self.document.styles.add_style(
                f"Laurel {style} {size or pt}", WD_STYLE_TYPE.PARAGRAPH
            )
            made.base_style = self.document.styles["Normal"]
            fmt = made.paragraph_format
            fmt.alignment = align
            fmt.space_before = Pt(before)
            fmt.space_after = Pt(after)
            if indent:
                fmt.first_line_indent = Cm(indent)
            _set_font(made, font, size or pt, bold)
            self.made[key] = made
        return self.made[key]


def _paragraph(container, text, style, styles: _Styles, size=None):
    style_id = styles.get(style, size).style_id
    paragraphs = []
    for line in text.split("\n"):
        paragraph = container.add_paragraph(line)
        paragraph._p.style = style_id  # by id: python-docx's lookup by object walks every style
        paragraphs.append(paragraph)
    return paragraphs


def _font_table(document) -> None:
    """Tell Word which installed font to use for each East Asian font that may be missing."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    element = etree.fromstring(part.blob)
    for name, alternate in FONT_ALTERNATES.items():
        element.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternate}"/>'
                '<w:charset w:val="86"/><w:family w:val="modern"/></w:font>'
            )
        )
    part._blob = etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def _table(document, table: Table, styles):
    """Rows are written cell by cell with their spans (gridSpan, vMerge), never by merging a full
    grid afterwards: python-docx's ``Table.cell()`` walks the whole table on every call."""
    columns = len(table.widths_cm)
    grid = document.add_table(rows=0, cols=columns)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for index, width in enumerate(table.widths_cm):
        grid.columns[index].width = Cm(width)
    pending: dict[int, list[int]] = {}  # column → [rows still covered, span] of a rowspan
    for row in table.rows:
        tr = grid._tbl.add_tr()
        if row.height_cm:
            handle = _Row(tr, grid)
            handle.height = Cm(row.height_cm)
            handle.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cells = iter(row.cells)
        column = 0
        while column < columns:
            if column in pending:
                remaining, span = pending[column]
                tc = tr.add_tc()
                tc.width = Cm(sum(table.widths_cm[column : column + span]))
                if span > 1:
                    tc.grid_span = span
                tc.vMerge = "continue"
                if remaining == 1:
                    del pending[column]
                else:
                    pending[column][0] -= 1
                column += span
                continue
            cell = next(cells, None)
            if cell is None:
                break
            tc = tr.add_tc()
            tc.width = Cm(sum(table.widths_cm[column : column + cell.span]))
            if cell.span > 1:
                tc.grid_span = cell.span
            if cell.rowspan > 1:
                tc.vMerge = "restart"
                pending[column] = [cell.rowspan - 1, cell.span]
            _fill(_Cell(tc, grid), cell, table.font_pt, styles)
            column += cell.span
    return grid


def _fill(target, cell, font_pt, styles):
    target.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if cell.label or cell.image
        else WD_CELL_VERTICAL_ALIGNMENT.TOP
    )
    first = target.paragraphs[0]
    if cell.image:
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first.add_run().add_picture(io.BytesIO(cell.image), width=Cm(cell.image_width_cm))
        return
    style = (
        "center"
        if cell.label or cell.align == "center"
        else ("right" if cell.align == "right" else "body")
    )
    made = _paragraph(target, cell.text, style, styles, size=font_pt)
    # The first paragraph of a new cell is empty: move the content into it.
    first._element.getparent().remove(first._element)
    if not made:
        target.add_paragraph()


def render(doc: Document) -> bytes:
    document = new_document()
    section = document.sections[0]
    if doc.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    top, right, bottom, left = doc.margins_cm
    section.top_margin, section.right_margin = Cm(top), Cm(right)
    section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT[1]
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT[0])
    _font_table(document)
    body = document._body
    styles = _Styles(document)
    for part in doc.parts:
        if isinstance(part, Para):
            _paragraph(body, part.text, part.style, styles)
        elif isinstance(part, Table):
            _table(document, part, styles)
        elif isinstance(part, PageBreak):
            paragraph = body.add_paragraph()
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    document.core_properties.title = doc.title
    document.core_properties.author = "Laurel"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
