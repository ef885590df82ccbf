"""A small layout model for the official forms, rendered both as .docx (python-docx) and as
HTML for WeasyPrint, so that each form is described once and both outputs carry the same
titles, labels, row order and merged cells."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Para:
    """A paragraph. ``style`` is one of: body, title, subtitle, attachment, cover, note, right,
    center, heading (黑体 section heading), signature."""

    text: str
    style: str = "body"


@dataclass
class Cell:
    text: str = ""
    span: int = 1
    rowspan: int = 1
    label: bool = False  # a printed label of the form (centred), not a filled value
    align: str = ""  # "", "center", "right"
    image: bytes | None = None  # the nominee's photo
    image_width_cm: float = 2.5


@dataclass
class Row:
    cells: list[Cell]
    height_cm: float | None = None  # the minimum height (big boxes of the paper form)
    # A long text (主要事迹) that may run onto the next page: the label printed there, e.g.
    # "主要事迹（续）". The row's first cell is its label, its last cell the text.
    continued: str = ""


@dataclass
class Table:
    widths_cm: list[float]
    rows: list[Row]
    font_pt: float | None = None  # smaller type for wide summary tables


@dataclass
class PageBreak:
    pass


@dataclass
class Picture:
    """A picture of its own (a certificate's QR code); ``style`` places it (e.g. "qr")."""

    data: bytes
    width_cm: float
    mime: str = "image/png"
    style: str = ""


@dataclass
class Document:
    """One official document (e.g. 附件3 for one nominee)."""

    key: str  # file name stem, ASCII
    title: str  # for listings and the PDF outline
    parts: list = field(default_factory=list)
    landscape: bool = False
    margins_cm: tuple[float, float, float, float] = (2.5, 2.6, 2.5, 2.6)  # top right bottom left
    kind: str = ""  # a page design of its own in the PDF ("certificate")

    def add(self, *parts) -> Document:
        self.parts.extend(parts)
        return self

    def text(self) -> str:
        """Every text of the document, in order (used by tests and search)."""
        out = []
        for part in self.parts:
            if isinstance(part, Para):
                out.append(part.text)
            elif isinstance(part, Table):
                for row in part.rows:
                    out.extend(cell.text for cell in row.cells)
        return "\n".join(out)
