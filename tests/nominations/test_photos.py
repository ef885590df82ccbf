import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from laurel.nominations.photos import process_photo
from laurel.nominations.services import nominees as service
from tests.nominations.conftest import complete_individual, photo_file


def test_jpeg_is_re_encoded_without_exif():
    upload = photo_file()
    assert Image.open(io.BytesIO(upload.read())).getexif()  # the upload carries EXIF
    upload.seek(0)
    cleaned = Image.open(io.BytesIO(process_photo(upload)))
    assert cleaned.format == "JPEG" and not cleaned.getexif()
    assert cleaned.size == (330, 462)


def test_png_is_accepted():
    assert process_photo(photo_file(fmt="PNG", name="p.png"))[:2] == b"\xff\xd8"


@pytest.mark.parametrize(
    "upload, code",
    [
        (lambda: photo_file(fmt="GIF", name="p.gif", exif=False), "photo_format"),
        (lambda: SimpleUploadedFile("x.jpg", b"not an image at all"), "photo_invalid"),
        (lambda: photo_file(size=(600, 400)), "photo_aspect"),
        (lambda: photo_file(size=(100, 140)), "photo_small"),
    ],
)
def test_bad_photos_are_refused_with_a_reason(upload, code):
    with pytest.raises(ValidationError) as error:
        process_photo(upload())
    assert error.value.code == code


def test_oversized_upload_is_refused_before_reading():
    big = SimpleUploadedFile("big.jpg", b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as error:
        process_photo(big)
    assert error.value.code == "photo_size"


@pytest.mark.django_db
def test_photo_is_stored_and_a_bad_one_changes_nothing(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    assert default_storage.exists(nominee.photo)
    before = nominee.photo
    with pytest.raises(ValidationError):
        service.set_photo(cc_staff, nominee, SimpleUploadedFile("x.png", b"junk"))
    nominee.refresh_from_db()
    assert nominee.photo == before
