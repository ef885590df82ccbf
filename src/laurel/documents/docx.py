"""Render a layout Document as .docx.

Body type is 仿宋 小四 (12 pt). Word on Windows gets the East Asian font 仿宋_GB2312 with the
font table telling it to use 仿宋 (FangSong) where 仿宋_GB2312 is not installed; titles use
方正小标宋简体 → 宋体 (SimSun), headings 黑体 (SimHei).

python-docx builds a *skeleton* once per page set-up and type sizes (section, margins, the
paragraph styles, the font table); each document then only writes its body as WordprocessingML
text into a copy of that package. Building every paragraph and cell through python-docx's
objects took ~35 ms a form, almost all of it in its child-element bookkeeping; issue 10 measures
forms against docxtpl, which substitutes text in finished XML the same way."""

from __future__ import annotations

import io
import math
import re
import zipfile
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from laurel.documents.layout import Cell, Document, PageBreak, Para, Table

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
    # certificates (designed for the PDF; a .docx of one stays readable)
    "cert-title": (TITLE_FONT, 36, True, WD_ALIGN_PARAGRAPH.CENTER, 6, 18, 0),
    "cert-name": (BODY_FONT, 20, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 0),
    "cert-body": (BODY_FONT, 20, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 0, 1.4),
    "cert-body-long": (BODY_FONT, 15, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 0, 1.06),
    "cert-sign": (BODY_FONT, 18, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, 0, 0),
    "cert-foot": (BODY_FONT, 10, False, WD_ALIGN_PARAGRAPH.LEFT, 12, 0, 0),
    # GB/T 9704-2012 (the decision): 版头, 主体, 版记
    "gw-mark": (TITLE_FONT, 30, True, WD_ALIGN_PARAGRAPH.CENTER, 99, 0, 0),  # 35 mm down
    "gw-number": (BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, 0),
    "gw-rule": (BODY_FONT, 8, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, 0),
    "gw-title": (TITLE_FONT, 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, 0),
    "gw-body": (BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 0, 1.13),
    "gw-left": (BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 0),
    "gw-sign": (BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, 0, 0),
    "gw-heading": (HEADING_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 0),
    "gw-imprint": (BODY_FONT, 14, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 0),
}
RED = "C00000"
# Beyond font and spacing: colour, rules above or below (GB/T 9704 红色分隔线, 版记 lines),
# an exact line pitch (22 lines of 28 characters in the 156 × 225 mm type area: 28.95 pt),
# indents from the right (成文日期 右空四字) and from the left (版记 左右各空一字).
STYLE_EXTRAS = {
    "gw-mark": {"color": RED},
    "gw-rule": {"border_bottom": (RED, 12)},  # eighths of a point: 1.5 pt
    "gw-title": {"line_pt": 28.95},
    "gw-number": {"line_pt": 28.95},
    "gw-body": {"line_pt": 28.95},
    "gw-left": {"line_pt": 28.95},
    "gw-heading": {"line_pt": 28.95},
    "gw-sign": {"line_pt": 28.95, "right_cm": 2.26},
    "gw-imprint": {
        "line_pt": 28.95,
        "border_top": ("000000", 8),
        "border_bottom": ("000000", 8),
        "left_cm": 0.49,
        "right_cm": 0.49,
    },
}
TABLE_STYLES = ("body", "center", "right")  # what a table cell's paragraphs use

PICTURE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif"}
# Characters XML 1.0 does not allow (a pasted form feed or vertical tab would make Word refuse
# the file); they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BODY_MARK = "<w:body>"
_TITLE_MARK = "LAUREL-TITLE-PLACEHOLDER"
_PICTURE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


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


def _style_extras(style, extras: dict) -> None:
    fmt = style.paragraph_format
    if "color" in extras:
        style.font.color.rgb = RGBColor.from_string(extras["color"])
    if "line_pt" in extras:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(extras["line_pt"])
    if "right_cm" in extras:
        fmt.right_indent = Cm(extras["right_cm"])
    if "left_cm" in extras:
        fmt.left_indent = Cm(extras["left_cm"])
    borders = [
        f'<w:{side} w:val="single" w:sz="{size}" w:space="1" w:color="{color}"/>'
        for side, key in (("top", "border_top"), ("bottom", "border_bottom"))
        if key in extras
        for color, size in [extras[key]]
    ]
    if borders:
        style.element.get_or_add_pPr().append(
            parse_xml(f"<w:pBdr {nsdecls('w')}>{''.join(borders)}</w:pBdr>")
        )


def _page_numbers(document) -> None:
    """GB/T 9704 page numbers: "— 1 —" in 4号 type, odd pages at the right, even at the left,
    one character in from the edge of the type area."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = Pt(14)
        for text in ("— ", None, " —"):
            run = paragraph.add_run(text or "")
            _set_font(run, ("宋体", "SimSun"), 14)
            if text is None:
                run._r.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"/>'))


GW_LINES, GW_CHARS, GW_SIZE_PT = 22, 28, 16  # GB/T 9704: 22 lines of 28 characters of 3号


def _document_grid(document) -> None:
    """GB/T 9704's 22 × 28 grid as Word's document grid (页面设置 → 文档网格 → 指定行和字符网格):
    a line pitch of the type area's height / 22 and a character pitch of its width / 28. Word
    gives the character pitch as the Normal style's size plus ``charSpace`` 4096ths of a point,
    so Normal is set to the body's 3号 (16 pt) here."""
    section = document.sections[0]
    # in twentieths of a point as Word stores the page; rounded down, so that 22 lines and 28
    # characters fit (rounded up, Word would set 21 and 27)
    height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    line_pitch = height // GW_LINES
    char_space = math.floor((width / 20 / GW_CHARS - GW_SIZE_PT) * 4096)
    document.styles["Normal"].font.size = Pt(GW_SIZE_PT)
    sect_pr = section._sectPr
    for grid in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(grid)
    sect_pr.append(
        parse_xml(
            f'<w:docGrid {nsdecls("w")} w:type="linesAndChars" w:linePitch="{line_pitch}" '
            f'w:charSpace="{char_space}"/>'
        )
    )


class _Skeleton:
    """The package of one page set-up: every part's bytes, and the style id of each
    (layout style, table type size)."""

    def __init__(
        self, landscape: bool, margins_cm: tuple, table_sizes: tuple, official: bool = False
    ):
        document = new_document()
        section = document.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        else:
            section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        top, right, bottom, left = margins_cm
        section.top_margin, section.right_margin = Cm(top), Cm(right)
        section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
        normal = document.styles["Normal"]
        normal.font.name = BODY_FONT[1]
        normal.font.size = Pt(12)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT[0])
        _font_table(document)
        if official:  # a GB/T 9704 document: its grid and page numbers
            _document_grid(document)
            _page_numbers(document)
        self.style_ids: dict[tuple, str] = {}
        wanted = [(style, None) for style in STYLES]
        wanted += [(style, size) for size in table_sizes for style in TABLE_STYLES]
        for style, size in wanted:
            font, pt, bold, align, before, after, indent = STYLES[style]
            made = document.styles.add_style(
                f"Laurel {style} {size or pt}", WD_STYLE_TYPE.PARAGRAPH
            )
            made.base_style = normal
            fmt = made.paragraph_format
            fmt.alignment = align
            fmt.space_before = Pt(before)
            fmt.space_after = Pt(after)
            if indent:
                fmt.first_line_indent = Cm(indent)
            _set_font(made, font, size or pt, bold)
            _style_extras(made, STYLE_EXTRAS.get(style, {}))
            self.style_ids[(style, size)] = made.style_id
        self.grid_style = document.styles["Table Grid"].style_id
        document.core_properties.title = _TITLE_MARK
        document.core_properties.author = "Laurel"
        buffer = io.BytesIO()
        document.save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        types = self.parts["[Content_Types].xml"].decode()
        for extension, content_type in PICTURE_TYPES.items():
            if f'Extension="{extension}"' not in types:
                types = types.replace(
                    "<Default ",
                    f'<Default Extension="{extension}" ContentType="{content_type}"/><Default ',
                    1,
                )
        self.parts["[Content_Types].xml"] = types.encode()
        self.document_xml = self.parts["word/document.xml"].decode()
        self.core_xml = self.parts["docProps/core.xml"].decode()
        self.rels_xml = self.parts["word/_rels/document.xml.rels"].decode()

    def style(self, style: str, size: float | None = None) -> str:
        return self.style_ids[(style, size)]


@lru_cache(maxsize=16)
def _skeleton(
    landscape: bool, margins_cm: tuple, table_sizes: tuple, official: bool = False
) -> _Skeleton:
    return _Skeleton(landscape, margins_cm, table_sizes, official)


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _runs(line: str) -> str:
    if not line:
        return ""
    pieces = line.split("\t")
    out = []
    for index, piece in enumerate(pieces):
        if index:
            out.append("<w:tab/>")
        if piece:
            out.append(f'<w:t xml:space="preserve">{_text(piece)}</w:t>')
    return "<w:r>" + "".join(out) + "</w:r>"


def _paragraphs(text: str, style_id: str) -> str:
    return "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{_runs(line)}</w:p>'
        for line in text.split("\n")
    )


class _Body:
    def __init__(self, skeleton: _Skeleton):
        self.skeleton = skeleton
        self.out: list[str] = []
        self.pictures: list[tuple[str, str, bytes]] = []  # (relationship id, part name, blob)

    def paragraph(self, part: Para) -> None:
        self.out.append(_paragraphs(part.text, self.skeleton.style(part.style)))

    def page_break(self) -> None:
        self.out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def table(self, table: Table) -> None:
        """Rows are written cell by cell with their spans (gridSpan, vMerge)."""
        widths = table.widths_cm
        columns = len(widths)
        out = self.out
        out.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.skeleton.grid_style}"/>'
            '<w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" '
            'w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
            "</w:tblPr><w:tblGrid>"
        )
        out.extend(f'<w:gridCol w:w="{_twips(width)}"/>' for width in widths)
        out.append("</w:tblGrid>")
        pending: dict[int, list[int]] = {}  # column → [rows still covered, span] of a rowspan
        for row in table.rows:
            out.append("<w:tr>")
            if row.height_cm:
                out.append(
                    f'<w:trPr><w:trHeight w:val="{_twips(row.height_cm)}" w:hRule="atLeast"/>'
                    "</w:trPr>"
                )
            cells = iter(row.cells)
            column = 0
            while column < columns:
                if column in pending:
                    remaining, span = pending[column]
                    out.append(self._cell_start(widths, column, span, "continue", False))
                    out.append("<w:p/></w:tc>")
                    if remaining == 1:
                        del pending[column]
                    else:
                        pending[column][0] -= 1
                    column += span
                    continue
                cell = next(cells, None)
                if cell is None:
                    break
                merge = None
                if cell.rowspan > 1:
                    merge = "restart"
                    pending[column] = [cell.rowspan - 1, cell.span]
                centred = bool(cell.label or cell.image)
                out.append(self._cell_start(widths, column, cell.span, merge, centred))
                out.append(self._cell_content(cell, table.font_pt))
                out.append("</w:tc>")
                column += cell.span
            out.append("</w:tr>")
        out.append("</w:tbl>")

    @staticmethod
    def _cell_start(widths, column, span, merge, centred) -> str:
        parts = [
            f'<w:tc><w:tcPr><w:tcW w:w="{_twips(sum(widths[column : column + span]))}" '
            'w:type="dxa"/>'
        ]
        if span > 1:
            parts.append(f'<w:gridSpan w:val="{span}"/>')
        if merge:
            parts.append(f'<w:vMerge w:val="{merge}"/>')
        parts.append(f'<w:vAlign w:val="{"center" if centred else "top"}"/></w:tcPr>')
        return "".join(parts)

    def _cell_content(self, cell: Cell, font_pt) -> str:
        if cell.image:
            return f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{self._picture(cell)}</w:p>'
        style = (
            "center"
            if cell.label or cell.align == "center"
            else ("right" if cell.align == "right" else "body")
        )
        return _paragraphs(cell.text, self.skeleton.style(style, font_pt))

    def _picture(self, cell: Cell) -> str:
        image = Image.from_blob(cell.image)
        number = len(self.pictures) + 1
        rid = f"rIdLaurelPicture{number}"
        extension = "jpeg" if image.ext in ("jpg", "jpeg") else image.ext
        self.pictures.append((rid, f"media/laurel{number}.{extension}", cell.image))
        cx = int(Cm(cell.image_width_cm))
        cy = round(cx * image.px_height / image.px_width)
        a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        pic = 'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
        return (
            '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{number}" name="Picture {number}"/>'
            f'<wp:cNvGraphicFramePr><a:graphicFrameLocks {a} noChangeAspect="1"/>'
            f"</wp:cNvGraphicFramePr><a:graphic {a}>"
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic {pic}><pic:nvPicPr><pic:cNvPr id="0" name="photo{number}.{extension}"/>'
            f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/>'
            "<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr>"
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            "</wp:inline></w:drawing></w:r>"
        )


def render(doc: Document) -> bytes:
    table_sizes = tuple(
        sorted({part.font_pt for part in doc.parts if isinstance(part, Table) and part.font_pt})
    )
    skeleton = _skeleton(doc.landscape, tuple(doc.margins_cm), table_sizes, doc.kind == "decision")
    body = _Body(skeleton)
    for part in doc.parts:
        if isinstance(part, Para):
            body.paragraph(part)
        elif isinstance(part, Table):
            body.table(part)
        elif isinstance(part, PageBreak):
            body.page_break()
    document_xml = skeleton.document_xml.replace(_BODY_MARK, _BODY_MARK + "".join(body.out), 1)
    core_xml = skeleton.core_xml.replace(_TITLE_MARK, _text(doc.title), 1)
    rels_xml = skeleton.rels_xml
    if body.pictures:
        rels_xml = rels_xml.replace(
            "</Relationships>",
            "".join(
                f'<Relationship Id="{rid}" Type="{_PICTURE_REL}" Target={quoteattr(name)}/>'
                for rid, name, _blob in body.pictures
            )
            + "</Relationships>",
        )
    replaced = {
        "word/document.xml": document_xml.encode(),
        "docProps/core.xml": core_xml.encode(),
        "word/_rels/document.xml.rels": rels_xml.encode(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in skeleton.parts.items():
            archive.writestr(name, replaced.get(name, data))
        for _rid, name, blob in body.pictures:
            archive.writestr(f"word/{name}", blob)
    return buffer.getvalue()
