"""Every write to user accounts goes through these functions (guard → save → audit row)."""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from laurel.accounts.models import User, UserRole
from laurel.accounts.signals import credentials_changed
from laurel.core import throttle
from laurel.core.audit import audit_context, record
from laurel.core.permissions import require
from laurel.core.roles import Role
from laurel.core.services import sync_codes

PROFILE_FIELDS = ("full_name", "unit", "position", "phone", "email", "directory_login")


def _require_admin(actor) -> None:
    require(actor, "accounts.manage_users")


def _set_roles(user: User, roles: Iterable[str]) -> None:
    sync_codes(
        {r.role: r for r in user.role_assignments.all()},
        roles,
        Role.values,
        lambda role: UserRole.objects.create(user=user, role=role),
        "roles",
    )
    user.forget_roles()


def _check_profile(user: User, roles: Iterable[str]) -> None:
    errors = {}
    if not user.full_name.strip():
        errors["full_name"] = _("请填写姓名。")
    if user.unit_id is None and not user.is_superuser:
        errors["unit"] = _("请选择所在单位。")
    if not list(roles) and not user.is_superuser:
        errors["roles"] = _("请至少选择一个角色。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_user(
    actor,
    *,
    username: str,
    password: str,
    roles: Iterable[str],
    must_change_password: bool = True,
    reason: str = "",
    **profile,
) -> User:
    _require_admin(actor)
    roles = list(roles)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%s”已被使用。") % username})
    user = User(username=username, must_change_password=must_change_password)
    for key, value in profile.items():
        if key not in PROFILE_FIELDS:
            raise TypeError(key)
        setattr(user, key, value)
    _check_profile(user, roles)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    with audit_context(actor, reason):
        user.save()
        _set_roles(user, roles)
    return user


@transaction.atomic
def update_user(
    actor, user: User, *, roles: Iterable[str] | None = None, reason: str = "", **profile
) -> User:
    _require_admin(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    for key, value in profile.items():
        if key not in PROFILE_FIELDS:
            raise TypeError(key)
        setattr(user, key, value)
    _check_profile(user, roles if roles is not None else user.role_codes)
    user.full_clean(exclude=["password"])
    with audit_context(actor, reason):
        user.save()
        if roles is not None:
            removed = set(user.role_codes) - set(roles)
            _set_roles(user, roles)
            if removed:
                credentials_changed.send(sender=User, user=user, reason=_("角色调整"))
    return user


@transaction.atomic
def set_user_active(actor, user: User, active: bool, reason: str) -> User:
    _require_admin(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写停用或启用的原因。")})
    if actor is not None and actor.pk == user.pk and not active:
        raise ValidationError(_("不能停用自己的账号。"))
    user = User.objects.select_for_update().get(pk=user.pk)
    with audit_context(actor, reason):
        user.is_active = active
        user.save()
        if not active:
            credentials_changed.send(sender=User, user=user, reason=_("账号停用"))
    return user


@transaction.atomic
def reset_password(actor, user: User, password: str, reason: str = "") -> User:
    """An administrator sets a new password; the user must change it at next login."""
    _require_admin(actor)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user = User.objects.select_for_update().get(pk=user.pk)
    with audit_context(actor, reason or _("管理员重置密码")):
        user.set_password(password)
        user.must_change_password = True
        user.save()
        credentials_changed.send(sender=User, user=user, reason=_("管理员重置密码"))
    axes_reset(username=user.username)
    return user


@transaction.atomic
def change_own_password(user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("原密码不正确。")})
    if new_password == old_password:
        # after a reset the old one is the administrator's: the change would leave it known
        raise ValidationError({"new_password1": _("新密码不能与原密码相同。")})
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.messages}) from None
    user = User.objects.select_for_update().get(pk=user.pk)
    with audit_context(user, _("本人修改密码")):
        user.set_password(new_password)
        user.must_change_password = False
        user.save()
        credentials_changed.send(sender=User, user=user, reason=_("本人修改密码"))
    return user


@transaction.atomic
def unlock_user(actor, user: User, reason: str = "") -> None:
    """Lift a lock-out caused by repeated failed logins."""
    _require_admin(actor)
    removed = axes_reset(username=user.username)
    throttle.forgive("login-user", user.username.lower())
    with audit_context(actor, reason or _("解除登录锁定")):
        record(
            user,
            "update",
            [
                {
                    "field": "lockout",
                    "label": str(_("登录锁定")),
                    "old": _("已锁定") if removed else _("未锁定"),
                    "new": _("已解除"),
                }
            ],
        )


def initial_password() -> str:
    """A random initial password that meets any setting of the policy: at least 16 characters
    (or the configured minimum) with all four classes."""
    length = max(16, getattr(settings, "LAUREL_PASSWORD_MIN_LENGTH", 10) + 2)
    classes = (string.ascii_lowercase, string.ascii_uppercase, string.digits, "-_.!@#")
    alphabet = "".join(classes)
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(c in group for c in password) for group in classes):
            return password


@transaction.atomic
def import_users(actor, rows: list[tuple[int, dict]]) -> list[tuple[User, str]]:
    """Users from a checked sheet, all or nothing, each with a random initial password that must
    be changed at the first login: (user, password) — the passwords are shown once and never
    stored in the clear. Each row is ``create_user`` (the same checks and audit row)."""
    made = []
    for number, fields in rows:
        fields = dict(fields)
        password = initial_password()
        try:
            user = create_user(
                actor,
                password=password,
                reason=_("从表格导入用户"),
                **fields,
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                details = {"": [str(error)]}
            elif hasattr(error, "error_dict"):
                details = error.message_dict
            else:
                details = {"": error.messages}
            words = "；".join(m for messages in details.values() for m in messages)
            message = _("第%(row)d行：%(words)s") % {"row": number, "words": words}
            raise ValidationError(message) from None
        made.append((user, password))
    return made
