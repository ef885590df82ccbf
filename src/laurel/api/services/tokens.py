"""A user's own API token: issue (replacing any earlier one) and revoke, with an audit row. The
token is django-rest-knox's: the database keeps its digest, the key is shown once."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken

from laurel.core import audit
from laurel.core.audit import audit_context
from laurel.core.models import AuditLog


@transaction.atomic
def issue_token(actor) -> str:
    """A new token for ``actor``; an earlier one stops working at once. Returns the key, which
    is shown to the user this one time."""
    AuthToken.objects.filter(user=actor).delete()
    _instance, key = AuthToken.objects.create(
        user=actor, expiry=datetime.timedelta(days=settings.LAUREL_API_TOKEN_DAYS)
    )
    with audit_context(actor, _("生成接口令牌")):
        _record(actor)
    return key


@transaction.atomic
def revoke_token(actor) -> None:
    if AuthToken.objects.filter(user=actor).delete()[0]:
        with audit_context(actor, _("停用接口令牌")):
            _record(actor)


def drop_tokens(sender, user, reason: str = "", **kwargs) -> None:
    """``accounts.signals.credentials_changed``: the account changed (password, deactivation,
    roles), so the user's token stops working at once."""
    if AuthToken.objects.filter(user=user).delete()[0]:
        _record(user)  # inside the change's own audit context: its actor and reason


def _record(actor) -> None:
    # The audit row is about the user (request.user may be a lazy wrapper).
    user = get_user_model()._default_manager.get(pk=actor.pk)
    audit.record(user, AuditLog.Action.UPDATE, [{"field": "api_token", "label": _("接口令牌")}])
