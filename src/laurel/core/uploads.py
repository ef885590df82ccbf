"""Uploaded files that are kept as they are (evidence): what they are, read from the content
with a maintained library (puremagic), and refused when the container carries another type
(a PDF that is also a web page or a program, an image with a file appended)."""

from __future__ import annotations

import io
import re
import uuid
import warnings

import puremagic
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import IndirectObject, NameObject

# What each accepted type is stored as: (content type, extension).
KINDS = {
    "pdf": ("application/pdf", "pdf"),
    "jpg": ("image/jpeg", "jpg"),
    "png": ("image/png", "png"),
}
_EXTENSIONS = {".pdf": "pdf", ".jpg": "jpg", ".jpeg": "jpg", ".png": "png"}
# Another type inside the file: markup a browser would run, an executable, an archive.
_FOREIGN = re.compile(
    rb"<\s*(?:html|script|body|iframe|svg|object|embed)\b|<!doctype\s+html|<\?php"
    rb"|This program cannot be run in DOS mode|\x7fELF[\x01\x02]|PK\x03\x04",
    re.IGNORECASE,
)
# Active content a PDF reader would run or launch: names anywhere in the document's objects
# (object streams included), as pypdf decodes them ("/JavaScr#69pt" is "/JavaScript").
PDF_ACTIVE = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
    }
)
MAX_PIXELS = 60_000_000
HEAD = 1024


def _refuse(text: str) -> ValidationError:
    return ValidationError({"file": text})


def identify(content: bytes) -> str | None:
    """The accepted kind the content declares at its start, or None."""
    try:
        matches = puremagic.magic_string(content[:8192])
    except (puremagic.PureError, ValueError):
        return None
    for match in matches:
        kind = _EXTENSIONS.get(match.extension.lower())
        if kind:
            return kind
    return None


def check_document(content: bytes, accepted=("pdf", "jpg", "png")) -> tuple[str, str]:
    """(content type, extension) of an evidence file, or a ValidationError naming the problem."""
    kind = identify(content)
    names = "、".join(k.upper() for k in accepted)
    if kind not in accepted:
        raise _refuse(_("只接受 %s 文件（按文件内容识别，不看文件名）。") % names)
    # Where a browser or a loader looks: the start. (Compressed data further on holds any
    # four bytes by chance; it is never read as markup, and nothing may follow the end.)
    if _FOREIGN.search(content[:HEAD]):
        raise _refuse(
            _("该文件除%s内容外还夹带了网页、程序或压缩包等其他内容，已拒绝；请重新导出后上传。")
            % kind.upper()
        )
    if kind == "pdf":
        _check_pdf(content)
    else:
        _check_image(content, kind)
    return KINDS[kind]


def _check_pdf(content: bytes) -> None:
    if not content.startswith(b"%PDF-"):
        raise _refuse(_("PDF 文件开头有其他内容，已拒绝。"))
    end = content.rfind(b"%%EOF")
    if end < 0 or content[end + 5 :].strip(b"\x00\r\n\t ") != b"":
        raise _refuse(_("PDF 文件不完整或结尾附带了其他内容，已拒绝。"))
    try:
        active = _pdf_active_names(PdfReader(io.BytesIO(content), strict=False))
    except Exception:
        raise _refuse(_("PDF 文件无法解析，请重新导出或扫描后上传。")) from None
    if active:
        raise _refuse(
            _("PDF 文件含有脚本、附件或自动运行的内容，已拒绝；请打印为普通 PDF 后上传。")
        )


def _pdf_active_names(reader) -> set[str]:
    """The active-content names used anywhere in the document: every object reachable from the
    trailer, and every object the cross-reference table lists (an unreferenced object is read by
    some viewers too)."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    for generation, numbers in reader.xref.items():
        stack += [IndirectObject(n, generation, reader) for n in numbers]
    for number in reader.xref_objStm:
        stack.append(IndirectObject(number, 0, reader))
    budget = 200_000  # objects: a bound on work, far above any scan's count
    while stack and budget:
        budget -= 1
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, NameObject):
            if item in PDF_ACTIVE:
                found.add(str(item))
        elif isinstance(item, dict):
            for name, value in item.items():
                if name in PDF_ACTIVE:
                    found.add(str(name))
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    if stack:
        found.add("/TooManyObjects")
    return found


def _check_image(content: bytes, kind: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > MAX_PIXELS:
                raise _refuse(_("图片像素过大。"))
            image.load()
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise _refuse(_("图片文件已损坏或无法识别。")) from None
    end = _image_end(content, kind)
    if end is None:
        raise _refuse(_("图片文件不完整，已拒绝。"))
    if content[end:].strip(b"\x00\r\n\t ") != b"":
        raise _refuse(_("图片文件末尾附带了其他内容，已拒绝。"))


def _image_end(content: bytes, kind: str) -> int | None:
    """Where the image proper ends: after the JPEG end-of-image marker, the PNG IEND chunk."""
    if kind == "jpg":
        at = content.rfind(b"\xff\xd9")
        return at + 2 if at >= 0 else None
    at = content.rfind(b"IEND")
    return at + 8 if at >= 0 else None  # the chunk type, then its 4-byte CRC


MAX_BYTES = 10 * 1024 * 1024


def store_document(upload, folder: str, field: str = "file") -> tuple[str, str, int]:
    """Check an uploaded document (at most 10 MB, recognised by content, nothing carried inside)
    and keep it under a random name in ``folder``: (storage path, content type, size). Errors
    name ``field``, the form field the file came from."""
    if upload is None:
        raise ValidationError({field: _("请选择要上传的文件。")})
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {field: _("文件不能超过10 MB（当前%.1f MB）。") % (upload.size / 2**20)}
        )
    content = upload.read()
    try:
        content_type, extension = check_document(content)
    except ValidationError as error:
        raise ValidationError({field: error.message_dict.get("file", error.messages)}) from None
    path = default_storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", ContentFile(content))
    return path, content_type, len(content)
