"""Encryption at rest for personal identifiers (ID numbers, phones).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under the
keys in ``settings.LAUREL_FIELD_KEYS`` (the first encrypts, all decrypt: keys can be rotated);
exact lookup uses a keyed hash (HMAC-SHA256 under ``settings.LAUREL_LOOKUP_KEY``), so a dump of
the database alone reveals neither the numbers nor a way to test guesses against them."""

from __future__ import annotations

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from laurel.core.validators import normalize_resident_id


class DecryptionFailed(Exception):
    pass


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(tuple(settings.LAUREL_FIELD_KEYS)).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(tuple(settings.LAUREL_FIELD_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionFailed("the field key does not match this value") from error


def _hmac(key, normalised: str) -> str:
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def lookup_hash(value: str) -> str:
    """The keyed hash of an ID number, for exact search: of its normal form, so the full-width,
    spaced or dashed spelling of a number finds it too. Written with the current key."""
    return _hmac(settings.LAUREL_LOOKUP_KEY, normalize_resident_id(value))


def lookup_hashes(value: str) -> list[str]:
    """Every hash a stored row of this number may carry: under the current key and under the old
    ones still listed (``LAUREL_OLD_LOOKUP_KEYS``) until ``rotate_field_keys --rehash`` ran."""
    normalised = normalize_resident_id(value)
    keys = [settings.LAUREL_LOOKUP_KEY, *settings.LAUREL_OLD_LOOKUP_KEYS]
    return [_hmac(key, normalised) for key in keys]


def lookup_key_changing() -> bool:
    return bool(settings.LAUREL_OLD_LOOKUP_KEYS)


def rotate(token: str) -> str:
    """The same value encrypted under the first (newest) key; any listed key may have made it."""
    if not token:
        return ""
    try:
        return _fernet(tuple(settings.LAUREL_FIELD_KEYS)).rotate(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionFailed("no listed field key decrypts this value") from error
