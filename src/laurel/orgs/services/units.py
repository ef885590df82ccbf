"""Every write to units goes through these functions (guard → save → audit row)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from laurel.core.audit import audit_context
from laurel.core.permissions import in_area, may, require
from laurel.core.services import sync_codes
from laurel.orgs.models import Unit, UnitFunction
from laurel.orgs.signals import routing_in_use

UNIT_FIELDS = (
    "name",
    "short_name",
    "parent",
    "division",
    "location_division",
    "tier",
    "kind",
    "ownership",
    "admin_level",
    "is_party_committee_or_government",
    "is_central",
    "uscc",
    "address",
    "phone",
    "sort_order",
)


def _check_fields(unit: Unit) -> None:
    errors = {}
    if unit.kind == Unit.Kind.ENTERPRISE and not unit.ownership:
        errors["ownership"] = _("企业须选择所有制类型（决定需征求意见的部门，见附件5）。")
    if unit.kind != Unit.Kind.ENTERPRISE and unit.ownership:
        errors["ownership"] = _("只有企业填写所有制类型。")
    if unit.kind in (Unit.Kind.ENTERPRISE, Unit.Kind.SOCIAL_ORGANIZATION) and not unit.uscc:
        errors["uscc"] = _("企业和社会组织须填写统一社会信用代码。")
    if unit.location_division_id and unit.location_division.level != "county":
        errors["location_division"] = _("所在行政区划须精确到县（市、区）。")
    if unit.parent_id and unit.pk and unit.parent.path.startswith(unit.path or "\0"):
        errors["parent"] = _("上级主管单位不能是本单位或其下属单位。")
    if errors:
        raise ValidationError(errors)
    unit.full_clean(exclude=["path"])


def _set_functions(unit: Unit, functions: Iterable[str]) -> None:
    """The unit's standard functions as given; functions a campaign's plan declared for it (its
    own clearance departments) are kept."""
    sync_codes(
        {f.function: f for f in unit.functions.all() if f.function in UnitFunction.Function.values},
        functions,
        UnitFunction.Function.values,
        lambda code: UnitFunction.objects.create(unit=unit, function=code),
        "functions",
    )


def _check_actor_may_place(
    actor,
    unit: Unit,
    was_parent: Unit | None = None,
    was_central: bool = False,
    was_location: int | None = None,
) -> None:
    """Province-wide roles place units anywhere; a nominating body only inside its own area:
    the unit, its place of registration, its new parent — and a unit it takes from a parent
    outside its area (a provincial-level unit's branch in the city) stays where it was."""
    if actor is None or may(actor, "orgs.place_unit_anywhere"):
        return
    if unit.is_central != was_central:
        # a central unit's people go straight to the province (H-4): skipping every tier of
        # the area is not the area's to decide
        raise PermissionDenied(_("“驻省中直单位”只能由省级表彰工作办公室设置或取消。"))
    area = actor.unit.division.path if actor.unit_id else None
    if area is None or not unit.division.path.startswith(area):
        raise PermissionDenied(_("只能在本地区范围内维护单位。"))
    if (
        unit.location_division_id
        and unit.location_division_id != was_location
        and not unit.location_division.path.startswith(area)
    ):
        raise PermissionDenied(_("注册地只能选择本地区范围内的行政区划。"))
    if unit.parent_id and not in_area(actor, "orgs.add_unit", unit.parent):
        raise PermissionDenied(_("只能选择本人权限范围内的单位作为上级主管单位。"))
    if (
        was_parent is not None
        and unit.parent_id != was_parent.pk
        and not in_area(actor, "orgs.add_unit", was_parent)
    ):
        raise PermissionDenied(
            _("该单位的上级主管单位“%s”不在本人权限范围内，调整隶属关系请联系省级表彰工作办公室。")
            % was_parent.name
        )


# What decides whose reviews and clearance requests reach a unit, or which tiers review what it
# files (C-9, H-3, H-4): changed only by the office while the unit has records in play.
ROUTING_FIELDS = (
    "division_id",
    "parent_id",
    "location_division_id",
    "is_central",
    "tier",
    "kind",
    "ownership",
)


def _routing(unit: Unit) -> tuple:
    return tuple(getattr(unit, name) for name in ROUTING_FIELDS)


@transaction.atomic
def create_unit(actor, *, functions: Iterable[str] = (), reason: str = "", **fields) -> Unit:
    require(actor, "orgs.add_unit")
    if functions:
        require(actor, "orgs.set_unit_functions")
    unit = Unit(**{k: v for k, v in fields.items() if k in UNIT_FIELDS})
    _check_fields(unit)
    _check_actor_may_place(actor, unit)
    with audit_context(actor, reason):
        unit.save()
        unit.path = f"{unit.parent.path if unit.parent_id else '/'}{unit.pk}/"
        unit.save(update_fields=["path"])
        _set_functions(unit, functions)
    return unit


@transaction.atomic
def update_unit(
    actor, unit: Unit, *, functions: Iterable[str] | None = None, reason: str = "", **fields
) -> Unit:
    require(actor, "orgs.change_unit", unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if functions is not None and set(functions) != set(unit.function_codes):
        require(actor, "orgs.set_unit_functions")
    old_path = unit.path
    routed = _routing(unit)
    was_parent, was_central = unit.parent, unit.is_central
    was_location = unit.location_division_id
    for key, value in fields.items():
        if key not in UNIT_FIELDS:
            raise TypeError(key)
        setattr(unit, key, value)
    if _routing(unit) != routed and _decides_routing(unit):
        # Where a department sits decides whose reviews and clearance requests reach it; where
        # a nominating unit sits, its parent, its tier, kind and ownership decide which
        # departments vet its nominees (C-9) and who reviews what it files (H-3, H-4).
        require(actor, "orgs.set_unit_functions")
    _check_fields(unit)
    _check_actor_may_place(actor, unit, was_parent, was_central, was_location)
    with audit_context(actor, reason):
        new_path = f"{unit.parent.path if unit.parent_id else '/'}{unit.pk}/"
        unit.path = new_path
        unit.save()
        if new_path != old_path:
            # Re-root the whole subtree in one statement.
            Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
            )
        if functions is not None:
            _set_functions(unit, functions)
    return unit


def _decides_routing(unit: Unit) -> bool:
    """A department (it has functions), or a unit whose records in play are routed by where it
    sits (asked of the apps above through ``orgs.signals.routing_in_use``: nominees beyond the
    draft and clearance requests; registrations under review; open hardship applications and
    status returns)."""
    if unit.function_codes:
        return True
    return any(answer for _receiver, answer in routing_in_use.send(sender=Unit, unit=unit))


@transaction.atomic
def grant_function(actor, unit: Unit, function: str) -> UnitFunction:
    """A function beyond the standard ones that a campaign's plan declares for this unit (a
    department it consults on nominees, C-9)."""
    require(actor, "orgs.set_unit_functions")
    with audit_context(actor, _("活动方案声明的征求意见部门")):
        return UnitFunction.objects.get_or_create(unit=unit, function=function)[0]


@transaction.atomic
def set_unit_active(actor, unit: Unit, active: bool, reason: str) -> Unit:
    require(actor, "orgs.change_unit", unit)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写停用或启用的原因。")})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_active == active:
        return unit
    if not active and unit.users.filter(is_active=True).exists():
        raise ValidationError(_("该单位仍有启用的用户，请先停用或调出这些用户。"))
    if not active and _decides_routing(unit):  # a department without accounts answers on paper
        require(actor, "orgs.set_unit_functions")
    with audit_context(actor, reason):
        unit.is_active = active
        unit.save()
    return unit


@transaction.atomic
def import_units(actor, rows: list[tuple[int, dict]]) -> list[Unit]:
    """Units from a checked sheet (``interfaces.spreadsheets.parse``), all or nothing: a refusal
    on any row rolls every row back and names the row. Each row is ``create_unit`` — the same
    checks, permission and audit row as a unit added on its page."""
    made: dict[str, Unit] = {}
    for number, fields in rows:
        fields = dict(fields)
        parent_name = fields.pop("parent_name", None)
        if parent_name:
            fields["parent"] = made[parent_name]
        try:
            unit = create_unit(actor, reason=_("从表格导入单位"), **fields)
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
        made[unit.name] = unit
    return list(made.values())
