"""Issue 19: evidence is recognised by its content with puremagic, and refused when the file
carries another type (the polyglot a 5-byte check accepted) or active content (pypdf reads every
object, object streams included, so escaped names and hidden actions are found and compressed
bytes that merely contain "/JS" are not)."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject, TextStringObject

from laurel.core.uploads import check_document


def _pdf(setup=None, compress=False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if setup:
        setup(writer)
    if compress:
        writer.compress_identical_objects()
        for page in writer.pages:
            page.compress_content_streams()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _pdf()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), (250, 248, 240)).save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), (250, 248, 240)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _javascript(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("x")}
    )


def _launch(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("c.exe")}
    )


def _attachment(writer):
    writer.add_attachment("setup.exe", b"\x00" * 10)


def test_plain_pdf_png_and_jpeg_are_accepted_by_content():
    assert check_document(PDF) == ("application/pdf", "pdf")
    assert check_document(_png()) == ("image/png", "png")
    assert check_document(_jpeg()) == ("image/jpeg", "jpg")


def test_a_compressed_stream_that_happens_to_hold_the_bytes_js_is_accepted():
    """Review of issue 19: a byte search refused about one ordinary scan in fifteen."""
    data = b"/JS" + b"\x00" * 100

    def noisy(writer):
        stream = StreamObject()
        stream.set_data(zlib.compress(data) + b"/JS")  # image data, as a scanner writes it
        writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)

    content = _pdf(noisy)
    assert b"/JS" in content
    assert check_document(content) == ("application/pdf", "pdf")


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"MZ\x90\x00" + b"\x00" * 60 + PDF, "只接受"),  # an executable first
        (PDF.replace(b"%PDF-1.3\n", b"%PDF-1.3\n<html><script>alert(1)</script></html>\n"), "夹带"),
        (PDF + b"MZ\x90\x00This program cannot be run in DOS mode", "已拒绝"),
        (_pdf(_javascript), "脚本"),
        (_pdf(_javascript).replace(b"/JavaScript", b"/JavaScr#69pt"), "脚本"),  # an escaped name
        (_pdf(_launch), "脚本"),
        (_pdf(_attachment), "脚本"),
        (PDF[: PDF.rindex(b"%%EOF")], "不完整"),
        (_png() + b"<svg onload=alert(1)>", "夹带"),
        (_png() + b"\x00\x01extra bytes", "末尾附带"),
        (_jpeg() + b"%PDF-1.4 tail", "末尾附带"),
        (_png()[:60], "图片文件"),  # 损坏 or 不完整 (WeasyPrint lets Pillow load truncated files)
        (_png().replace(b"IEND", b"IEN\x00"), "不完整"),
        (b"GIF89a" + b"\x00" * 40, "只接受"),
    ],
)
def test_h6_a_file_carrying_another_type_is_refused(content, fragment):
    with pytest.raises(ValidationError) as error:
        check_document(content)
    assert fragment in error.value.message_dict["file"][0], error.value.message_dict
