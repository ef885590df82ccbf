"""The permission vocabulary: every "may X" a user can be asked is one named rule.

Each app's ``rules.py`` defines its rules once, with :func:`rule` (a question about the user and
perhaps an object) or :func:`object_rule` (the same, plus the rows of a model on which the user
may act, for lists). A rule has two parts:

- ``who`` — may this user do it at all: a role, an assignment (the department asked for an
  opinion, a member of the panel, the organiser of the notice), the jurisdiction;
- ``when`` — does the object's state allow it now (a draft can be submitted, an open panel
  takes votes). Its message may name the object as ``{object}``.

The rule is registered with django-rules as the permission ``who & when``, so views ask
``user.has_perm(name, obj)`` and templates ``{% has_perm name user obj as may %}`` or ``perms``;
services call :func:`require`, which refuses with the rule's own message: ``PermissionDenied``
when ``who`` fails (a 403 page), ``ValidationError`` when only ``when`` fails (a message on the
page: the user may, just not now). Lists call ``Model.objects.restrict(user, action)``, which
applies the very rows the object rule checks, so a list never shows a row whose detail refuses.

``actor=None`` stands for the system itself (management commands, demo loaders, tasks acting on
ids): :func:`require` lets it through; no view ever passes ``None``.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurel.core.jurisdiction import NOTHING, ROW_FILTERS, jurisdiction_q, rows_q

always = rules.always_allow


def one_role_each(user) -> list:
    """The user as each of their roles alone, with the same unit.

    A permission comes from one role and reaches as far as that role's area: a unit officer
    whose unit also answers clearance requests for the whole city still edits and reads in full
    only its own unit's nominees; a unit officer on the leading group does not edit the
    province's drafts. Every rule is therefore asked of each role alone and holds when one of
    them allows it; an account with one role or none, a superuser, or anything that is not an
    account is asked as itself."""
    codes = getattr(user, "role_codes", None)
    if not codes or len(codes) < 2 or getattr(user, "is_superuser", False):
        return [user]
    key = (codes, user.unit_id, user.is_active)
    cached = user.__dict__.get("_one_role_each")
    if cached is not None and cached[0] == key:
        return cached[1]
    if user.unit_id:
        user.unit.division  # loaded once here, shared by the copies  # noqa: B018
    each = []
    for code in sorted(codes):
        one = copy.copy(user)
        one.__dict__.pop("_one_role_each", None)
        one._role_codes = frozenset({code})
        each.append(one)
    user.__dict__["_one_role_each"] = (key, each)
    return each


def _each_role(predicate: rules.Predicate) -> rules.Predicate:
    @rules.predicate(name=f"one_role:{predicate.name}")
    def check(user, obj):
        return any(predicate.test(one, obj) for one in one_role_each(user))

    return check


@dataclass(frozen=True)
class Rule:
    name: str
    who: rules.Predicate
    # (state predicate, why not now) in order: the first that fails names the reason
    conditions: tuple[tuple[rules.Predicate, str], ...]
    refused: str
    model: type | None = None
    action: str | None = None

    @property
    def when(self) -> rules.Predicate | None:
        if not self.conditions:
            return None
        return functools.reduce(operator.and_, (check for check, _message in self.conditions))

    @property
    def predicate(self) -> rules.Predicate:
        return self.who if self.when is None else self.who & self.when

    def not_now(self, actor, obj) -> str | None:
        """Why the object's state does not allow it now, or None when it does."""
        for check, message in self.conditions:
            if not check.test(actor, obj):
                return str(message).replace("{object}", str(obj))
        return None


RULES: dict[str, Rule] = {}


def _register(item: Rule, *, each_role: bool = True) -> Rule:
    """``each_role``: ask ``who`` of each of the user's roles alone (see
    :func:`one_role_each`); an object rule's rows already pair each role with its own area."""
    if item.name in RULES:
        raise ValueError(f"rule {item.name} is defined twice")
    if each_role:
        item = dataclasses.replace(item, who=_each_role(item.who))
    RULES[item.name] = item
    rules.add_perm(item.name, item.predicate)
    return item


def _state(when: rules.Predicate | None) -> rules.Predicate | None:
    """A state predicate asked without an object ("may the user do this to anything?") holds."""
    if when is None:
        return None

    @rules.predicate(name=f"when:{when.name}")
    def check(user, obj):
        return obj is None or when.test(user, obj)

    return check


def _conditions(when, not_now) -> tuple[tuple[rules.Predicate, str], ...]:
    """``when`` is one predicate (with ``not_now``), or a sequence of (predicate, message)."""
    if when is None:
        return ()
    if isinstance(when, rules.Predicate):
        return ((_state(when), not_now or _("当前状态不能进行此项操作。")),)
    return tuple((_state(check), message) for check, message in when)


def rule(
    name: str,
    who: rules.Predicate,
    *,
    when=None,
    refused: str | None = None,
    not_now: str | None = None,
) -> Rule:
    """Define the rule ``name`` ("app.verb_noun"): ``who`` may, ``when`` the object allows."""
    return _register(
        Rule(
            name=name,
            who=who,
            conditions=_conditions(when, not_now),
            refused=refused or _("您没有执行此操作的权限。"),
        )
    )


def object_rule(
    name: str,
    model,
    action: str,
    *,
    role: rules.Predicate,
    rows: Callable[[object], Q] | None = None,
    also: rules.Predicate | None = None,
    when=None,
    refused: str | None = None,
    not_now: str | None = None,
) -> Rule:
    """A rule on rows of ``model``, defined once for an object and for lists.

    ``role`` is asked of the user alone; ``rows(user)`` is a Q of the rows the user may act on
    (the jurisdiction by default). For one object the rule holds when the object is among those
    rows — the same query ``Model.objects.restrict(user, action)`` runs for a list. Asked
    without an object ("may this user review anything?"), only ``role`` is asked.

    ``also``: a condition on one object that no Q can express (the reviewing department of a
    registration depends on the kinds of its honours, H-3). ``restrict`` then returns the
    candidates, and a list keeps those for which ``user.has_perm`` holds; every candidate is
    still a row the user may view.
    """
    rows = rows or (lambda user: jurisdiction_q(user, model.jurisdiction))

    def allowed_rows(user) -> Q:
        condition = NOTHING
        for one in one_role_each(user):  # each role with its own area
            if role.test(one):
                condition = rows(one) if condition is NOTHING else condition | rows(one)
        return condition

    @rules.predicate(name=f"rows:{name}")
    def among_rows(user, obj):
        if obj is None:
            return True
        return model._default_manager.filter(allowed_rows(user), pk=obj.pk).exists()

    key = (model._meta.label_lower, action)
    if key in ROW_FILTERS:
        raise ValueError(f"the action {action!r} on {model.__name__} is defined twice")
    ROW_FILTERS[key] = allowed_rows
    # one query for the object: among the rows of the roles that grant the action, each with
    # its own area (``allowed_rows``)
    who = _each_role(role) & among_rows
    if also is not None:
        who = who & _state(also)
    return _register(
        Rule(
            name=name,
            who=who,
            conditions=_conditions(when, not_now),
            refused=refused or _("未找到该记录，或您无权进行此项操作。"),
            model=model,
            action=action,
        ),
        each_role=False,
    )


def granting(actor, name: str) -> list:
    """The actor as each of their roles that may do ``name`` at all (see :func:`one_role_each`)."""
    who = RULES[name].who
    return [one for one in one_role_each(actor) if who.test(one, None)]


def within_area(actor, name: str, queryset):
    """``queryset`` narrowed to the rows the actor sees as the roles that may do ``name``: the
    units a nominator may enter nominations for are those its nominating role sees, not those
    another of its roles (a clearance department of the city) sees."""
    condition = NOTHING
    for one in granting(actor, name):
        condition |= rows_q(queryset.model, one)
    return queryset.filter(condition)


def in_area(actor, name: str, obj) -> bool:
    """``obj`` is among the rows of :func:`within_area`; the system (``actor=None``) may."""
    if actor is None:
        return True
    return within_area(actor, name, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def require(actor, name: str, obj=None) -> None:
    """Refuse unless ``actor`` may do ``name`` (to ``obj``): PermissionDenied when the actor may
    not at all, ValidationError when the object's state does not allow it now."""
    if actor is None:
        return
    item = RULES[name]
    if not (actor.is_authenticated and actor.is_active) or not item.who.test(actor, obj):
        raise PermissionDenied(str(item.refused))
    reason = item.not_now(actor, obj) if obj is not None else None
    if reason:
        raise ValidationError(reason)


def not_now(actor, name: str, obj) -> str | None:
    """For a page: PermissionDenied when ``actor`` may not do ``name`` at all; otherwise the
    reason the object's state does not allow it now, or None when it does."""
    try:
        require(actor, name, obj)
    except ValidationError as error:
        return "；".join(error.messages)
    return None


def explain(actor, name: str, obj=None) -> str:
    """Why ``actor`` may not do ``name`` (to ``obj``): not at all, or not now."""
    item = RULES[name]
    if obj is not None and item.who.test(actor, obj):
        return item.not_now(actor, obj) or str(item.refused)
    return str(item.refused)


def refusal(name: str) -> str:
    """The message a refusal of ``name`` shows."""
    return str(RULES[name].refused)


def may(actor, name: str, obj=None) -> bool:
    """The same question as ``actor.has_perm(name, obj)``, for code that holds no request."""
    if name not in RULES:
        raise LookupError(name)
    return bool(actor is not None and actor.has_perm(name, obj))
