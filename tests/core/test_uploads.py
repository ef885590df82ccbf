"""Issue 19: evidence is recognised by its content with puremagic, and refused when the file
carries another type (the polyglot a 5-byte check accepted)."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from laurel.core.uploads import check_document

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), (250, 248, 240)).save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), (250, 248, 240)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_plain_pdf_png_and_jpeg_are_accepted_by_content():
    assert check_document(PDF) == ("application/pdf", "pdf")
    assert check_document(_png()) == ("image/png", "png")
    assert check_document(_jpeg()) == ("image/jpeg", "jpg")


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"MZ\x90\x00" + b"\x00" * 60 + PDF, "只接受"),  # an executable first
        (PDF.replace(b"%%EOF", b"<html><script>alert(1)</script></html>\n%%EOF"), "夹带"),
        (PDF + b"MZ\x90\x00This program cannot be run in DOS mode", "夹带"),
        (PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(x)>>"), "脚本"),
        (PDF.replace(b"%%EOF\n", b""), "不完整"),
        (_png() + b"<svg onload=alert(1)>", "夹带"),
        (_png() + b"\x00\x01extra bytes", "末尾附带"),
        (_jpeg() + PDF.replace(b"%%EOF\n", b"") + b"tail", "末尾附带"),
        (_png()[:60], "图片文件"),  # 损坏 or 不完整 (WeasyPrint lets Pillow load truncated files)
        (_png().replace(b"IEND", b"IEN\x00"), "不完整"),
        (b"GIF89a" + b"\x00" * 40, "只接受"),
    ],
)
def test_h6_a_file_carrying_another_type_is_refused(content, fragment):
    with pytest.raises(ValidationError) as error:
        check_document(content)
    assert fragment in error.value.message_dict["file"][0], error.value.message_dict
