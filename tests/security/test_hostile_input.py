"""Issue 11 §2: hostile input. Property-based tests of the validators and of the forms anyone
can reach; malformed and oversized uploads (a workbook that is not a zip, a zip bomb, a 50 MB
image, a file whose name and type lie); CSRF on every form. Each bad input ends in a clear
Chinese message and a 4xx (or the form shown again), never a 500, and nothing saved changes."""

from __future__ import annotations

import datetime
import io
import random
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laurel.core import validators
from laurel.core.models import AuditLog
from laurel.core.spreadsheets import MAX_UNPACKED, check_xlsx
from laurel.core.synthetic import resident_id
from laurel.public.models import Objection
from laurel.public.services import notices as notice_service
from laurel.public.services.notices import CONTENT_MAX
from laurel.registry.models import Honour, Person
from tests.nominations.conftest import complete_individual
from tests.nominations.test_views import _edit_data
from tests.security.test_access_matrix import OBJECT_URLS, _path, _urls

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


# --- validators -------------------------------------------------------------------------------


@given(texts)
def test_resident_id_validator_refuses_any_text_with_a_message_or_returns_18_characters(value):
    try:
        number = validators.validate_resident_id(value)
    except ValidationError as error:
        assert error.messages and all(re.search(r"[\u4e00-\u9fff]", m) for m in error.messages)
    else:
        assert len(number) == 18 and number[:17].isdigit()


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["1", "2"]))
def test_synthetic_resident_ids_validate_and_their_facts_read_back(seed, gender):
    rng = random.Random(seed)
    birth = datetime.date(1950 + seed % 60, 1 + seed % 12, 1 + seed % 28)
    number = resident_id(rng, "220102", birth, gender)
    assert validators.resident_id_facts(number) == (number, birth, gender)
    assert validators.resident_id_facts(number.lower()) == (number, birth, gender)
    masked = validators.mask_resident_id(number)
    assert masked == number[:4] + "*" * 12 + number[-2:] and number[6:14] not in masked


@pytest.mark.parametrize(
    "validator",
    [
        validators.validate_uscc,
        validators.validate_mobile,
        validators.validate_landline,
        validators.validate_phone,
    ],
)
@given(value=texts)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_other_validators_refuse_any_text_with_a_chinese_message(validator, value):
    try:
        result = validator(value)
    except ValidationError as error:
        assert all(re.search(r"[\u4e00-\u9fff]", m) for m in error.messages)
    else:
        assert isinstance(result, str)


@given(st.text(max_size=30))
def test_phone_masking_never_shows_the_middle_digits(value):
    masked = validators.mask_phone(value)
    assert len(masked) == len(value)
    if len(value) > 7:
        assert masked[3:-4] == "*" * (len(value) - 7)


# --- uploads -----------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """About 300 KB that unpacks to 300 MB of one repeated byte."""
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/sharedStrings.xml": b"<" + b"a" * (MAX_UNPACKED + 2**20) + b">",
        }
    )


def test_workbook_checks_refuse_what_is_not_an_xlsx_and_zip_bombs():
    with pytest.raises(ValidationError, match=r"不是 \.xlsx 工作簿"):
        check_xlsx(b"%PDF-1.4 not a workbook")
    with pytest.raises(ValidationError, match="没有工作簿"):
        check_xlsx(_zip({"readme.txt": b"hello"}))
    bomb = zip_bomb()
    assert len(bomb) < 2 * 2**20
    with pytest.raises(ValidationError, match="压缩炸弹"):
        check_xlsx(bomb)


def test_a_zip_bomb_whose_headers_understate_its_size_is_refused_too():
    bomb = bytearray(zip_bomb())
    # Rewrite the declared uncompressed size of the big member (local and central headers).
    real = (MAX_UNPACKED + 2**20 + 2).to_bytes(4, "little")
    assert bomb.count(real) == 2
    bomb = bytes(bomb).replace(real, (1000).to_bytes(4, "little"))
    with pytest.raises(ValidationError):
        check_xlsx(bomb)


@pytest.mark.django_db
def test_registry_import_page_and_api_refuse_a_zip_bomb_and_save_nothing(client, area, drive):
    from laurel.api.services.tokens import issue_token

    client.force_login(area.office)
    before = (Person.objects.count(), Honour.objects.count(), AuditLog.objects.count())
    response = client.post(
        "/registry/import/", {"file": SimpleUploadedFile("bomb.xlsx", zip_bomb())}
    )
    assert response.status_code in (200, 400)
    assert "压缩炸弹" in response.content.decode()
    token = issue_token(area.office)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.post(
        "/api/registry/imports/", {"file": SimpleUploadedFile("bomb.xlsx", zip_bomb())}
    )
    assert response.status_code == 400 and "压缩炸弹" in response.content.decode()
    assert (Person.objects.count(), Honour.objects.count()) == before[:2]


@pytest.mark.django_db
def test_nominee_import_refuses_a_zip_bomb_with_a_message(client, published, cc_staff):
    from laurel.nominations.models import Nominee

    client.force_login(cc_staff)
    category = published.categories.get(kind="individual")
    response = client.post(
        f"/nominations/import/{published.pk}/",
        {"file": SimpleUploadedFile("bomb.xlsx", zip_bomb()), "category": category.pk},
    )
    assert response.status_code == 200 and "压缩炸弹" in response.content.decode()
    assert not Nominee.objects.filter(campaign=published).exists()


@pytest.mark.django_db
def test_50_mb_image_and_a_page_posing_as_a_photo_are_refused_and_change_nothing(
    client, published, cc_staff, nanguan_unit
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    client.force_login(cc_staff)
    url = f"/nominations/{nominee.pk}/edit/"
    photo_before = nominee.photo
    huge = SimpleUploadedFile("huge.jpg", b"\xff\xd8\xff\xe0" + b"0" * (50 * 2**20), "image/jpeg")
    response = client.post(url, _edit_data(nominee, photo=huge))  # over the app's own cap
    assert response.status_code == 413 and "超过12 MB" in response.content.decode()
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff\xe0" + b"0" * (6 * 2**20), "image/jpeg")
    response = client.post(url, _edit_data(nominee, photo=big))
    assert response.status_code < 500 and "照片不能超过5 MB" in response.content.decode()
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    response = client.post(url, _edit_data(nominee, photo=fake))
    assert response.status_code < 500
    assert "无法识别的图片文件" in response.content.decode()
    assert "已保存草稿" not in response.content.decode()
    nominee.refresh_from_db()
    assert nominee.photo == photo_before


# --- forms anyone can reach ------------------------------------------------------------------


@pytest.mark.django_db
def test_public_objection_form_takes_any_text_without_a_server_error(
    published, cc_staff, nanguan_unit
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    notice = notice_service.create_notice(
        None,
        published,
        level="unit",
        nominees=[nominee],
        starts_on=datetime.date.today(),
        contact="王老师 0431-88888888",
    )
    client = Client()

    @given(nominee=st.one_of(st.just(str(nominee.pk)), texts), content=texts, contact=texts)
    @settings(max_examples=40, deadline=None)
    def post(nominee, content, contact):
        response = client.post(
            f"/public/notices/{notice.pk}/",
            {"nominee": nominee, "content": content, "contact": contact},
        )
        assert response.status_code in (200, 400, 429), response.status_code

    post()
    for objection in Objection.objects.all():  # what was stored kept within the service's limits
        assert 0 < len(objection.content.strip()) <= CONTENT_MAX


@pytest.mark.django_db
def test_list_and_search_parameters_take_any_text_without_a_server_error(client, area, office):
    client.force_login(area.office)

    @given(
        params=st.dictionaries(
            st.sampled_from(
                [
                    "page",
                    "q",
                    "state",
                    "campaign",
                    "category",
                    "name",
                    "id_number",
                    "division",
                    "kind",
                    "year",
                    "unit",
                    "format",
                ]
            ),
            texts,
            max_size=4,
        )
    )
    @settings(max_examples=40, deadline=None)
    def get(params):
        for path in ("/registry/", "/nominations/", "/registry/registrations/", "/core/audit/"):
            response = client.get(path, params)
            assert response.status_code < 500, (path, params)

    get()


# --- CSRF on every form ------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_post_without_the_csrf_token_is_refused(area):
    """Logged in (a session cookie, as a browser sends it): every URL refuses a POST that lacks
    the CSRF token. Token-authenticated API calls carry no cookie and need none."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(area.office)
    anonymous = Client(enforce_csrf_checks=True)
    before = AuditLog.objects.count()
    for name, route in _urls().items():
        path = _path(route, 1) if name in OBJECT_URLS else _path(route, 0)
        if "<" in path or "(?P" in path:
            continue
        for who, c in (("office", client), ("anonymous", anonymous)):
            response = c.post(path, {"reason": "x", "name": "x"})
            if who == "anonymous" and response.status_code in (401, 302, 405):
                continue  # not logged in, or a read-only public address: nothing to forge
            assert response.status_code == 403, (who, name, path, response.status_code)
    assert AuditLog.objects.count() == before


@pytest.mark.django_db
def test_a_nul_character_in_a_search_is_ignored_not_a_server_error(client, area, drive):
    """PostgreSQL refuses NUL in a query; no stored text contains one (found by the API fuzz
    run on PostgreSQL)."""
    from laurel.api.services.tokens import issue_token

    api = Client(HTTP_AUTHORIZATION=f"Token {issue_token(area.office)}")
    for params in ({"name": "张\x00"}, {"unit": "\x00"}):
        assert api.get("/api/registry/people/", params).status_code == 200
    from laurel.core.roles import Role
    from tests.factories import UserFactory

    client.force_login(area.office)
    for path in ("/nominations/", "/core/audit/"):
        assert client.get(path, {"q": "王\x00"}).status_code == 200, path
    client.force_login(UserFactory(roles=[Role.SYSTEM_ADMIN]))
    assert client.get("/users/", {"q": "王\x00"}).status_code == 200
