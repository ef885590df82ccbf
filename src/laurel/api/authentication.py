"""API authentication: DRF's token, with an expiry and the account's own conditions."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication


def token_expires_at(token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.LAUREL_API_TOKEN_DAYS)


def _refuse_forced_change(user) -> None:
    if user.must_change_password:
        raise exceptions.AuthenticationFailed(
            _("管理员重置了您的密码：请先登录网页修改密码，再使用接口。")
        )


class ExpiringTokenAuthentication(TokenAuthentication):
    """A token works for ``LAUREL_API_TOKEN_DAYS`` days from when it was issued, and not while
    the account must change its password. Reset, deactivation and role removal delete it
    (``accounts.signals.credentials_changed``)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if timezone.now() >= token_expires_at(token):
            raise exceptions.AuthenticationFailed(_("接口令牌已过期，请在“接口令牌”页面重新生成。"))
        _refuse_forced_change(user)
        return user, token


class PasswordCheckedSessionAuthentication(SessionAuthentication):
    """The web session, refused to the API too while the password must be changed."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _refuse_forced_change(result[0])
        return result


class SessionScheme(OpenApiAuthenticationExtension):
    """The schema documents the checked session like Django's own (a cookie)."""

    target_class = "laurel.api.authentication.PasswordCheckedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
