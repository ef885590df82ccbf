import io
import zipfile

from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader


def docx_text(content: bytes) -> str:
    """Every text run of a .docx, paragraphs and table cells alike, each once."""
    document = Document(io.BytesIO(content))
    return "\n".join(
        "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
        for paragraph in document.element.body.iter(qn("w:p"))
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def zip_names(content: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(content)).namelist()
