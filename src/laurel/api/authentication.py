"""API authentication: django-rest-knox's hashed token (the database and its backups hold only
a SHA-512 digest, never a working key), with an expiry and the account's own conditions."""

from __future__ import annotations

import binascii
import datetime
from hmac import compare_digest

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication


def token_expires_at(token) -> datetime.datetime:
    """``LAUREL_API_TOKEN_DAYS`` from when the token was issued, as the setting says now (a
    shorter setting shortens tokens already issued)."""
    return token.created + datetime.timedelta(days=settings.LAUREL_API_TOKEN_DAYS)


def _refuse_forced_change(user) -> None:
    if user.must_change_password:
        raise exceptions.AuthenticationFailed(
            _("管理员重置了您的密码：请先登录网页修改密码，再使用接口。")
        )


class ExpiringTokenAuthentication(TokenAuthentication):
    """A token works for ``LAUREL_API_TOKEN_DAYS`` days from when it was issued, and not while
    the account must change its password. Reset, deactivation and role removal delete it
    (``accounts.signals.credentials_changed``). Knox finds the token by its first characters
    and compares the digest in constant time; the messages are ours, in Chinese."""

    def authenticate_credentials(self, token: bytes):
        invalid = exceptions.AuthenticationFailed(_("接口令牌无效。"))
        try:
            key = token.decode("ascii")
            digest = hash_token(key)
        except (UnicodeDecodeError, TypeError, binascii.Error):
            raise invalid from None
        candidates = AuthToken.objects.filter(
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user")
        for auth_token in candidates:
            if not compare_digest(digest, auth_token.digest):
                continue
            if timezone.now() >= token_expires_at(auth_token):
                raise exceptions.AuthenticationFailed(
                    _("接口令牌已过期，请在“接口令牌”页面重新生成。")
                )
            if not auth_token.user.is_active:
                raise invalid
            _refuse_forced_change(auth_token.user)
            return auth_token.user, auth_token
        raise invalid


class PasswordCheckedSessionAuthentication(SessionAuthentication):
    """The web session, refused to the API too while the password must be changed."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _refuse_forced_change(result[0])
        return result


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema documents the token header (``Authorization: Token <令牌>``)."""

    target_class = "laurel.api.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"
    priority = 1  # before drf-spectacular's own extension for knox

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("令牌认证，格式：Token <令牌>"),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    """The schema documents the checked session like Django's own (a cookie)."""

    target_class = "laurel.api.authentication.PasswordCheckedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
