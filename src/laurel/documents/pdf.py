"""Render layout Documents as print-ready PDF with WeasyPrint and Debian's Noto CJK fonts.

A booklet puts several documents (and copies) in one PDF; each document starts on an odd
(right-hand) page, so the sheets separate cleanly when printed double-sided."""

from __future__ import annotations

import base64
import functools
import itertools
import logging
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

from django.utils.html import escape
from django.utils.translation import gettext as _
from weasyprint import CSS as WeasyCSS
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from laurel.documents.layout import Document, PageBreak, Para, Picture, Row, Table

logger = logging.getLogger(__name__)
REQUIRED_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
# The 仿宋 of the forms and the decision: Fandol's FangSong (free, in Debian's
# texlive-lang-chinese, installed by `make fonts`); Noto Serif CJK where it is missing and for
# any character it lacks.
FANGSONG_FILES = (
    Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf"),
    Path("/usr/share/fonts/opentype/fandol/FandolFang-Regular.otf"),
)


def fangsong_file() -> Path | None:
    return next((path for path in FANGSONG_FILES if path.exists()), None)


def _font_faces() -> str:
    path = fangsong_file()
    if path is None:
        return ""
    return f'@font-face {{ font-family: "Laurel FangSong"; src: url("{path.as_uri()}"); }}\n'


CSS = """
@page { size: A4; margin: 2.5cm 2.6cm 2.5cm 2.6cm; }
@page landscape { size: A4 landscape; margin: 2cm 2cm 2cm 2cm; }
html { font-family: "Laurel FangSong", "Noto Serif CJK SC", serif; font-size: 12pt;
  line-height: 1.5; }
p.title, p.subtitle, p.cert-title, p.gw-mark, p.gw-title {
  font-family: "Noto Serif CJK SC", serif; }
body { margin: 0; }  /* the page margins are the documents' own, nothing added */
section.doc + section.doc { break-before: right; }
body.single section.doc + section.doc { break-before: page; }
section.landscape { page: landscape; }
p { margin: 0; text-align: justify; white-space: pre-wrap; }
p.title { font-size: 22pt; text-align: center; margin: 12pt 0; font-weight: bold; }
p.subtitle { font-size: 16pt; text-align: center; margin-bottom: 12pt; font-weight: bold; }
p.attachment, p.heading { font-family: "Noto Sans CJK SC", sans-serif; font-size: 16pt;
  margin: 6pt 0; }
p.cover { font-size: 16pt; margin: 18pt 0 0 2.5cm; }
p.note { font-size: 10.5pt; }
p.center { text-align: center; }
p.right, p.signature { text-align: right; }
p.official { font-size: 16pt; text-indent: 2em; line-height: 1.75; }
p.official-left, p.signature { font-size: 16pt; line-height: 1.75; }
div.pagebreak { break-after: page; }
table { border-collapse: collapse; margin: 6pt auto; table-layout: fixed; }
td { border: 0.75pt solid #000; padding: 3pt 4pt; vertical-align: top; white-space: pre-wrap;
  word-break: break-all; }
td.label { text-align: center; vertical-align: middle; }
td.center { text-align: center; }
td.right { text-align: right; }
td.image { text-align: center; vertical-align: middle; }
td.image img { display: block; margin: 0 auto; }
td.number { white-space: nowrap; word-break: normal; }  /* an ID or phone never splits */
tr.keep { break-inside: avoid; }  /* a seal box with its 盖章 and date on one page */
tr.continued { break-before: page; }  /* a long text's rest, under "（续）" */
/* a long text's cell cut at a page keeps its padding and border on both pages, as its own row
   will when the text is cut there (otherwise the cut part does not fit again) */
td[data-flow-text] { box-decoration-break: clone; }
@page certificate { size: A4 landscape; margin: 1.2cm; }
section.certificate { page: certificate; box-sizing: border-box; height: 18.5cm;
  border: 4.5pt double #9b1c1c; padding: 1.4cm 2.4cm 1.2cm; position: relative; }
section.certificate p.cert-title { font-size: 36pt; text-align: center; color: #9b1c1c;
  font-weight: bold; letter-spacing: 0.4em; margin: 0.2cm 0 0.9cm; }
section.certificate p.cert-name { font-size: 20pt; line-height: 2; }
section.certificate p.cert-body { font-size: 20pt; line-height: 2; text-indent: 2em; }
section.certificate p.cert-body-long { font-size: 15pt; line-height: 1.8; text-indent: 2em; }
section.certificate p.cert-sign { font-size: 18pt; text-align: right; line-height: 1.8;
  margin-right: 3.2cm; }
section.certificate p.cert-foot { position: absolute; left: 2.4cm; bottom: 1.1cm;
  font-size: 10pt; white-space: pre-wrap; }
section.certificate p.picture.qr { position: absolute; right: 2.2cm; bottom: 0.9cm; }
/* GB/T 9704-2012: A4, type area 156 x 225 mm (top 37, binding edge 28 mm), 22 lines of 28
   characters of 3号 (16 pt) type, page numbers "— 1 —" in 4号 outside, one character in. */
@page decision { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; }
@page decision:right { @bottom-right { content: "— " counter(page) " —"; font-size: 14pt;
  margin-right: 14pt; font-family: "Noto Serif CJK SC", serif; } }
@page decision:left { @bottom-left { content: "— " counter(page) " —"; font-size: 14pt;
  margin-left: 14pt; font-family: "Noto Serif CJK SC", serif; } }
section.decision { page: decision; }
section.decision p { font-size: 16pt; line-height: 28.95pt; letter-spacing: -0.22pt; }
section.decision p.gw-mark { font-size: 30pt; line-height: 1.4; color: #c00000;
  font-weight: bold; text-align: center; letter-spacing: 0.1em; margin-top: 3.5cm; }
section.decision p.gw-number { text-align: center; }
section.decision p.gw-rule { border-bottom: 1.5pt solid #c00000; line-height: 8pt;
  font-size: 8pt; margin-bottom: 28.95pt; }
section.decision p.gw-title { font-size: 22pt; text-align: center; font-weight: bold; }
section.decision p.gw-body { text-indent: 2em; text-align: justify; }
section.decision p.gw-sign { text-align: right; margin-right: 4em; }
section.decision p.gw-heading { font-family: "Noto Sans CJK SC", sans-serif; }
section.decision p.gw-imprint { font-size: 14pt; border-top: 0.75pt solid #000;
  border-bottom: 0.75pt solid #000; padding: 0 1em; }
section.decision p.gw-imprint + p.gw-imprint { border-top: none; }
section.decision p.attachment { font-family: "Noto Sans CJK SC", sans-serif; }
"""


class FontsMissing(RuntimeError):
    pass


@functools.lru_cache(maxsize=1)
def _installed_families() -> frozenset[str]:
    if shutil.which("fc-list") is None:
        return frozenset()
    result = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    families = set()
    for line in result.stdout.splitlines():
        families.update(name.strip() for name in line.split(","))
    return frozenset(families)


def check_fonts() -> None:
    missing = [f for f in REQUIRED_FAMILIES if f not in _installed_families()]
    if missing:
        raise FontsMissing(
            _(
                "生成PDF需要中文字体（%s）：请在服务器上安装 Debian 软件包 fonts-noto-cjk"
                "（执行 make fonts），然后重试。"
            )
            % "、".join(missing)
        )


_NUMBER = re.compile(r"^[0-9Xx*\-—\s]{6,30}$")  # an ID number, a phone, a masked one


@functools.lru_cache(maxsize=1)
def _stylesheet() -> tuple[WeasyCSS, FontConfiguration]:
    """The stylesheet with the 仿宋 face, and the font configuration that loads it (WeasyPrint
    needs the same one for the stylesheet and the rendering)."""
    fonts = FontConfiguration()
    return WeasyCSS(string=_font_faces() + CSS, font_config=fonts), fonts


def _cell_html(cell, widths, column, flow: tuple[int, int] | None = None) -> str:
    attrs = [] if flow is None else [f'data-flow-text="{flow[0]}" data-flow-part="{flow[1]}"']
    if cell.span > 1:
        attrs.append(f'colspan="{cell.span}"')
    if cell.rowspan > 1:
        attrs.append(f'rowspan="{cell.rowspan}"')
    classes = []
    if cell.label:
        classes.append("label")
    if cell.align:
        classes.append(cell.align)
    if not cell.image and _NUMBER.match(cell.text or ""):
        classes.append("number")
    if cell.image:
        classes.append("image")
        data = base64.b64encode(cell.image).decode()
        inner = f'<img src="data:image/jpeg;base64,{data}" style="width:{cell.image_width_cm}cm">'
    else:
        inner = escape(cell.text)
    if classes:
        attrs.append(f'class="{" ".join(classes)}"')
    return f"<td {' '.join(attrs)}>{inner}</td>"


MAX_LAYOUTS = 4  # a text cut at its page boundaries settles in the second layout


class _Flows:
    """The long texts of one rendering that may run onto further pages (rows with a
    ``continued`` label), numbered in document order, and where each is cut into one row per
    page: a row that runs on gets its "（续）" label on the next page (WeasyPrint splits a row
    but cannot repeat its label cell, so the row is cut at the page boundary the previous
    rendering found, and the rest starts a page of its own under the continued label)."""

    def __init__(self, cuts: dict[int, list[int]] | None = None):
        self.cuts = cuts or {}
        self.texts: dict[int, str] = {}
        self.count = 0

    def rows(self, row: Row, widths) -> list[str]:
        number = self.count
        self.count += 1
        text = row.cells[-1].text or ""
        self.texts[number] = text
        bounds = [0, *self.cuts.get(number, []), len(text)]
        out = []
        for index, (start, end) in enumerate(itertools.pairwise(bounds)):
            cells = list(row.cells)
            part = text[start:end]
            cells[-1] = replace(cells[-1], text=part.lstrip("\n") if index else part)
            attrs = ""
            if index:
                cells[0] = replace(cells[0], text=row.continued)
                attrs += ' class="continued"'
            elif row.height_cm:
                attrs += f' style="height:{row.height_cm}cm"'
            out.append(
                f"<tr{attrs}>"
                + "".join(
                    _cell_html(
                        cell, widths, 0, (number, index) if position == len(cells) - 1 else None
                    )
                    for position, cell in enumerate(cells)
                )
                + "</tr>"
            )
        return out

    def found_cuts(self, document) -> dict[int, list[int]]:
        """Where each long text should be cut, from ``document`` (this rendering, laid out):
        a row that ran onto a further page is cut where its first page ends, and what ran on
        joins the next row (or, for the last row, becomes one row per page it filled)."""
        if not self.texts:  # nothing that may run on (certificates, the decision): no walk
            return {}
        shown: dict[tuple[int, int], list[int]] = {}  # (flow, row) -> characters per page
        for page in document.pages:
            on_page: dict[tuple[int, int], int] = {}
            for box in page._page_box.descendants():
                element = getattr(box, "element", None)
                if element is None or not hasattr(box, "text"):
                    continue
                flow = element.get("data-flow-text")
                if flow is not None:
                    key = (int(flow), int(element.get("data-flow-part")))
                    on_page[key] = on_page.get(key, 0) + len(_visible(box.text))
            for key, count in on_page.items():
                if count:
                    shown.setdefault(key, []).append(count)
        cuts = {}
        for flow, text in self.texts.items():
            starts = [0, *self.cuts.get(flow, [])]
            offsets, joined = [], False
            for part, start in enumerate(starts):
                if part and not joined:
                    offsets.append(start)
                joined = False
                pages = shown.get((flow, part), [])
                if len(pages) < 2:
                    continue
                seen = len(_visible(text[:start]))
                last = part == len(starts) - 1
                for count in pages[:-1] if last else pages[:1]:
                    seen += count
                    offsets.append(_offset_after(text, seen))
                joined = not last
            if offsets:
                cuts[flow] = offsets
        return cuts


def _visible(text: str) -> str:
    return "".join(text.split())


def _offset_after(text: str, visible: int) -> int:
    """The offset in ``text`` just after its ``visible``-th non-blank character."""
    for index, char in enumerate(text):
        if not char.isspace():
            visible -= 1
            if visible == 0:
                return index + 1
    return len(text)


def _table_html(table: Table, flows: _Flows) -> str:
    cols = "".join(f'<col style="width:{w}cm">' for w in table.widths_cm)
    # An explicit width makes WeasyPrint use the fixed table layout (the columns' widths): the
    # automatic layout measures every cell's text first, minutes for a long draft (issue 21).
    width = f"width:{sum(table.widths_cm):.2f}cm"
    style = (
        f' style="{width};font-size:{table.font_pt}pt"' if table.font_pt else f' style="{width}"'
    )
    rows = []
    for row in table.rows:
        if row.continued:
            rows.extend(flows.rows(row, table.widths_cm))
            continue
        height = f' style="height:{row.height_cm}cm"' if row.height_cm else ""
        # a short row (a label with its seal box, a line of facts) is never split across pages;
        # a long text (主要事迹) flows on
        keep = ' class="keep"' if sum(len(c.text or "") for c in row.cells) < 400 else ""
        rows.append(
            f"<tr{keep}{height}>"
            + "".join(_cell_html(cell, table.widths_cm, 0) for cell in row.cells)
            + "</tr>"
        )
    return f"<table{style}><colgroup>{cols}</colgroup>{''.join(rows)}</table>"


def document_html(doc: Document, flows: _Flows | None = None) -> str:
    flows = flows if flows is not None else _Flows()
    out = []
    for part in doc.parts:
        if isinstance(part, Para):
            out.append(f'<p class="{part.style}">{escape(part.text) or "&nbsp;"}</p>')
        elif isinstance(part, Table):
            out.append(_table_html(part, flows))
        elif isinstance(part, PageBreak):
            out.append('<div class="pagebreak"></div>')
        elif isinstance(part, Picture):
            data = base64.b64encode(part.data).decode()
            out.append(
                f'<p class="picture {part.style}"><img alt="" src="data:{part.mime};base64,'
                f'{data}" style="width:{part.width_cm}cm"></p>'
            )
    landscape = " landscape" if doc.landscape else ""
    kind = f" {doc.kind}" if doc.kind else ""
    return f'<section class="doc{landscape}{kind}">{"".join(out)}</section>'


def booklet_html(
    documents: list[Document], copies: int = 1, duplex: bool = True, flows: _Flows | None = None
) -> str:
    flows = flows if flows is not None else _Flows()
    sections = "".join(document_html(d, flows) for _copy in range(copies) for d in documents)
    body_class = "" if duplex else ' class="single"'
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(documents[0].title if documents else '')}</title></head>"
        f"<body{body_class}>{sections}</body></html>"
    )


def render(documents: list[Document], copies: int = 1, duplex: bool = True) -> bytes:
    """One PDF: ``documents`` in order, the whole set ``copies`` times (1 or 3 per C-12).
    ``duplex``: each document starts on a right-hand page (booklets printed on both sides);
    otherwise each simply starts on a new page (certificates: one sheet each)."""

    check_fonts()
    if copies not in (1, 2, 3):
        raise ValueError(copies)
    stylesheet, fonts = _stylesheet()
    cuts: dict[int, list[int]] = {}
    for _attempt in range(MAX_LAYOUTS):
        flows = _Flows(cuts)
        html = booklet_html(documents, copies, duplex, flows)
        document = HTML(string=html).render(stylesheets=[stylesheet], font_config=fonts)
        found = flows.found_cuts(document)
        if found == cuts:  # every long text on the page(s) its rows give it
            break
        cuts = found
    else:
        logger.warning("a long text's continued rows did not settle in %d layouts", MAX_LAYOUTS)
    return document.write_pdf()
