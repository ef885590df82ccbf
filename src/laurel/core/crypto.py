"""Encryption at rest for personal identifiers (ID numbers, phones).

Values are encrypted with AES-256-GCM (``cryptography``'s AESGCM, one call per value; issue 22:
an import of 100,000 rows spent most of its time in Fernet) under keys derived (HKDF-SHA256) from
the keys in ``settings.LAUREL_FIELD_KEYS`` — the first encrypts, all decrypt, so keys can be
rotated. A token is ``lg1.`` and, base64url, the key's 4-byte id, a 12-byte random nonce and the
ciphertext with its tag. Values written earlier as Fernet tokens (``gAAAAA…``, AES-128-CBC +
HMAC-SHA256 under the same keys) still decrypt; ``rotate_field_keys`` rewrites them.
Exact lookup uses a keyed hash (HMAC-SHA256 under ``settings.LAUREL_LOOKUP_KEY``), so a dump of
the database alone reveals neither the numbers nor a way to test guesses against them."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from laurel.core.validators import normalize_resident_id


class DecryptionFailed(Exception):
    pass


TOKEN_PREFIX = "lg1."  # an AES-GCM token of this module
FERNET_PREFIX = "gAAAAA"  # a Fernet token (written before issue 22): still read
_NONCE = 12
_KEY_ID = 4


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


@functools.lru_cache(maxsize=4)
def _ring(keys: tuple[str, ...]) -> tuple[tuple[bytes, AESGCM], dict[bytes, AESGCM]]:
    """(the encrypting key's id and cipher, every key's cipher by id) for ``keys``."""
    ciphers = []
    for key in keys:
        raw = base64.urlsafe_b64decode(key.encode() if isinstance(key, str) else key)
        if len(raw) != 32:  # as Fernet requires: 32 random bytes, never a short password
            raise ValueError("a LAUREL_FIELD_KEYS key must be 32 bytes in base64url")
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"laurel field aes-256-gcm v1"
        ).derive(raw)
        key_id = hmac.new(derived, b"laurel key id", hashlib.sha256).digest()[:_KEY_ID]
        ciphers.append((key_id, AESGCM(derived)))
    return ciphers[0], dict(ciphers)


def _keys() -> tuple[str, ...]:
    return tuple(settings.LAUREL_FIELD_KEYS)


def is_token(value: str) -> bool:
    """Whether a stored value is ciphertext (of either kind) rather than a plain value written
    before its column was encrypted."""
    return value.startswith((TOKEN_PREFIX, FERNET_PREFIX))


def _seal(key_id: bytes, cipher: AESGCM, nonce: bytes, value: str) -> str:
    sealed = cipher.encrypt(nonce, value.encode(), None)
    return TOKEN_PREFIX + base64.urlsafe_b64encode(key_id + nonce + sealed).decode()


def encrypt(value: str) -> str:
    if not value:
        return ""
    (key_id, cipher), _all = _ring(_keys())
    return _seal(key_id, cipher, os.urandom(_NONCE), value)


def encrypt_many(values) -> list[str]:
    """``encrypt`` for a column of values (an import): one key look-up and one draw of random
    bytes for all the nonces."""
    values = list(values)
    (key_id, cipher), _all = _ring(_keys())
    nonces = os.urandom(_NONCE * len(values))
    out = []
    for index, value in enumerate(values):
        if not value:
            out.append("")
            continue
        out.append(_seal(key_id, cipher, nonces[index * _NONCE : (index + 1) * _NONCE], value))
    return out


def decrypt(token: str) -> str:
    if not token:
        return ""
    if token.startswith(TOKEN_PREFIX):
        try:
            data = base64.urlsafe_b64decode(token[len(TOKEN_PREFIX) :].encode())
        except (binascii.Error, ValueError) as error:
            raise DecryptionFailed("not a token of this system") from error
        if len(data) < _KEY_ID + _NONCE + 16:  # key id, nonce, tag: a cut token
            raise DecryptionFailed("the value is not a whole token")
        cipher = _ring(_keys())[1].get(data[:_KEY_ID])
        if cipher is None:
            raise DecryptionFailed("the field key does not match this value")
        try:
            nonce, sealed = data[_KEY_ID : _KEY_ID + _NONCE], data[_KEY_ID + _NONCE :]
            return cipher.decrypt(nonce, sealed, None).decode()
        except (InvalidTag, ValueError) as error:
            raise DecryptionFailed("the value was altered or the key does not match") from error
    try:
        return _fernet(_keys()).decrypt(token.encode()).decode()
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
        return encrypt(decrypt(token))
    except DecryptionFailed as error:
        raise DecryptionFailed("no listed field key decrypts this value") from error
