"""The nominee photo (近期2寸正面半身免冠蓝底彩色照片): JPEG or PNG only, size and aspect
checked, re-encoded as JPEG so that EXIF and other metadata (GPS, device) are gone."""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_BYTES = 5 * 1024 * 1024
MIN_WIDTH, MIN_HEIGHT = 260, 360
MAX_PIXELS = 40_000_000
# 2-inch photos are 35×49 mm or 35×45 mm: width/height between about 0.68 and 0.80.
ASPECT = (0.65, 0.82)


def process_photo(upload) -> bytes:
    if upload.size > MAX_BYTES:
        raise ValidationError(_("照片不能超过5 MB。"), code="photo_size")
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ("JPEG", "PNG"):
                raise ValidationError(_("照片须为 JPG 或 PNG 格式。"), code="photo_format")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("照片像素过大。"), code="photo_pixels")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise ValidationError(
            _("无法识别的图片文件，请上传 JPG 或 PNG 照片。"), code="photo_invalid"
        ) from None
    image = ImageOps.exif_transpose(image)
    width, height = image.size
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValidationError(
            _("照片分辨率过低（%(w)d×%(h)d），至少需要%(mw)d×%(mh)d像素。")
            % {"w": width, "h": height, "mw": MIN_WIDTH, "mh": MIN_HEIGHT},
            code="photo_small",
        )
    ratio = width / height
    if not ASPECT[0] <= ratio <= ASPECT[1]:
        raise ValidationError(
            _("照片须为竖版2寸证件照（宽高比约5:7），当前为%(w)d×%(h)d。")
            % {"w": width, "h": height},
            code="photo_aspect",
        )
    output = io.BytesIO()
    image.convert("RGB").save(output, format="JPEG", quality=90)  # no exif= argument: stripped
    return output.getvalue()


def store_photo(content: bytes) -> str:
    return default_storage.save(f"photos/{uuid.uuid4().hex}.jpg", ContentFile(content))
