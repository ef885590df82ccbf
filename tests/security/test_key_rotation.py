"""Issue 19: key rotation — the old key decrypts, the new key encrypts, a command re-encrypts
every encrypted column, and a new look-up key takes effect after ``--rehash`` (H-6)."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from laurel.core import crypto
from laurel.nominations.models import Nominee
from tests.nominations.conftest import complete_individual

pytestmark = pytest.mark.django_db

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _raw(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM nominations_nominee WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _read(keys: list[str], token: str) -> str:
    """The token decrypted with only ``keys`` listed (DecryptionFailed if none of them fits)."""
    with override_settings(LAUREL_FIELD_KEYS=keys):
        return crypto.decrypt(token)


def test_h6_rotation_old_key_decrypts_new_key_encrypts_the_command_re_encrypts(
    settings, published, cc_staff, nanguan_unit
):
    settings.LAUREL_FIELD_KEYS = [OLD]
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    number, mobile = nominee.id_number, nominee.mobile
    assert _raw("id_number", nominee.pk).startswith(crypto.TOKEN_PREFIX)
    assert _read([OLD], _raw("id_number", nominee.pk)) == number

    settings.LAUREL_FIELD_KEYS = [NEW, OLD]  # the new key first, the old one kept
    assert Nominee.objects.get(pk=nominee.pk).id_number == number  # old values still read
    Nominee.objects.filter(pk=nominee.pk).update(unit_phone="0431-88886666")
    new_token = _raw("unit_phone", nominee.pk)
    assert _read([NEW], new_token) == "0431-88886666"
    with pytest.raises(crypto.DecryptionFailed):
        _read([OLD], new_token)

    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))
    for column, plain in (("id_number", number), ("mobile", mobile)):
        token = _raw(column, nominee.pk)
        assert _read([NEW], token) == plain
        with pytest.raises(crypto.DecryptionFailed):
            _read([OLD], token)
    settings.LAUREL_FIELD_KEYS = [NEW]  # the old key dropped: everything still reads
    fresh = Nominee.objects.get(pk=nominee.pk)
    assert (fresh.id_number, fresh.mobile) == (number, mobile)


def test_h6_a_new_lookup_key_finds_people_before_and_after_rehash(
    settings, published, cc_staff, nanguan_unit
):
    """Review of issue 19: between the restart with a new look-up key and ``--rehash`` the
    duplicate checks missed old rows and the same person went in twice. The old key stays
    listed until the hashes are rewritten."""
    from django.core.exceptions import ValidationError

    from laurel.nominations.services import nominees as nominee_service

    nominee = complete_individual(cc_staff, published, nanguan_unit)
    old = settings.LAUREL_LOOKUP_KEY
    settings.LAUREL_LOOKUP_KEY = "a-new-lookup-key-" + "z" * 30
    settings.LAUREL_OLD_LOOKUP_KEYS = [old]
    assert Nominee.objects.filter(id_hash__in=crypto.lookup_hashes(nominee.id_number)).exists()
    with pytest.raises(ValidationError):  # one person once per campaign, still
        complete_individual(cc_staff, published, nanguan_unit, id_number=nominee.id_number)
    call_command("rotate_field_keys", "--rehash", stdout=open("/dev/null", "w"))
    settings.LAUREL_OLD_LOOKUP_KEYS = []
    assert Nominee.objects.filter(id_hash=crypto.lookup_hash(nominee.id_number)).get() == nominee
    with pytest.raises(ValidationError):
        nominee_service.create_nominee(
            cc_staff,
            published,
            published.categories.get(kind="individual"),
            nominating_unit=nanguan_unit,
            name="又一人",
            id_number=nominee.id_number,
        )


def test_h6_values_written_as_fernet_tokens_still_read_and_rotate_to_aes_gcm(
    settings, published, cc_staff, nanguan_unit
):
    """Issue 22: values are now AES-GCM tokens ("lg1."); those written before as Fernet tokens
    under the same keys still read, and ``rotate_field_keys`` rewrites them in the new form."""
    settings.LAUREL_FIELD_KEYS = [OLD]
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    legacy = Fernet(OLD.encode()).encrypt(b"13900001111").decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE nominations_nominee SET mobile = %s WHERE id = %s", [legacy, nominee.pk]
        )
    assert Nominee.objects.get(pk=nominee.pk).mobile == "13900001111"
    settings.LAUREL_FIELD_KEYS = [NEW, OLD]
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))
    token = _raw("mobile", nominee.pk)
    assert token.startswith(crypto.TOKEN_PREFIX) and _read([NEW], token) == "13900001111"


def test_h6_an_altered_token_is_refused_not_misread():
    """AES-GCM authenticates each value: a changed byte is a refused value, never a wrong one."""
    token = crypto.encrypt("220102198001011234")
    body = bytearray(crypto.base64.urlsafe_b64decode(token[len(crypto.TOKEN_PREFIX) :]))
    body[-1] ^= 1
    altered = crypto.TOKEN_PREFIX + crypto.base64.urlsafe_b64encode(bytes(body)).decode()
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(altered)
    assert crypto.encrypt_many(["13900001111", "", "13900002222"])[1] == ""
    assert [crypto.decrypt(t) for t in crypto.encrypt_many(["13900001111", "13900002222"])] == [
        "13900001111",
        "13900002222",
    ]


def test_h6_a_cut_token_or_a_short_key_is_refused_with_a_message_not_a_crash(settings):
    """Issue 22 review: a token cut short reads as "（无法解密）" upstream (DecryptionFailed),
    never a server error; a key that is not 32 random bytes is refused, as Fernet refused it."""
    token = crypto.encrypt("13900001111")
    for cut in (token[:10], token[:20], crypto.TOKEN_PREFIX + "AAAA", crypto.TOKEN_PREFIX + "!"):
        with pytest.raises(crypto.DecryptionFailed):
            crypto.decrypt(cut)
    settings.LAUREL_FIELD_KEYS = ["Y2hhbmdlbWU="]  # "changeme"
    with pytest.raises(ValueError, match="32 bytes"):
        crypto.encrypt("13900001111")
