"""Treatment policy files (format 1, docs/treatment-format.md): parsed with the line of every
key, checked against ``treatment/schema``, shown as a diff against the version they replace,
and applied — then everyone's entitlements are recomputed from the effective date."""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from laurel.core.audit import audit_context
from laurel.core.definitions import DefinitionError, Problem, parse, schema_problems
from laurel.core.permissions import require
from laurel.treatment.models import Entitlement, Policy, Treatment
from laurel.treatment.tasks import recompute_entitlements

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parent.parent / "schema" / "treatment-policy-v1.schema.json"
    ).read_text(encoding="utf-8")
)
FIELDS = (
    "name",
    "kind",
    "period",
    "amounts",
    "kinds",
    "status",
    "min_age",
    "awarded_since",
    "payer",
    "basis",
)


@dataclass
class PolicyResult:
    policy: Policy | None
    changes: list[str] = field(default_factory=list)
    dry_run: bool = False


def _values(item: dict, index: int) -> dict:
    return {
        "name": item["name"],
        "kind": item["kind"],
        "period": item["period"],
        "amounts": {
            k: (None if v is None else str(Decimal(str(v)))) for k, v in item["amounts"].items()
        },
        "kinds": list(item.get("kinds", [])),
        "status": item.get("status", Treatment.Status.ANY),
        "min_age": item.get("min_age"),
        "awarded_since": (
            datetime.date.fromisoformat(item["awarded_since"])
            if item.get("awarded_since")
            else None
        ),
        "payer": item["payer"],
        "basis": item.get("basis", ""),
        "sort_order": index,
    }


def check(text: str, source: str = ""):
    """The parsed definition, or DefinitionError with every problem (line and key named)."""
    definition = parse(text, source)
    problems = schema_problems(definition, SCHEMA)
    data = definition.data
    if not problems:
        for path in [("effective_from",)] + [
            ("treatments", i, "awarded_since")
            for i, t in enumerate(data["treatments"])
            if "awarded_since" in t
        ]:
            value = data
            for part in path:
                value = value[part]
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                problems.append(definition.problem(path, _("“%s”不是有效日期。") % value))
        seen = set()
        for index, item in enumerate(data["treatments"]):
            for level, amount in item["amounts"].items():
                if amount is not None and not math.isfinite(amount):
                    problems.append(
                        definition.problem(
                            ("treatments", index, "amounts", level), _("应为有效的金额。")
                        )
                    )
            if item["key"] in seen:
                problems.append(
                    definition.problem(
                        ("treatments", index, "key"), _("代码“%s”重复。") % item["key"]
                    )
                )
            seen.add(item["key"])
            if item["kind"] == "one_off" and item["period"] != "once":
                problems.append(
                    definition.problem(
                        ("treatments", index, "period"), _("一次性奖励的周期应为 once。")
                    )
                )
    if problems:
        raise DefinitionError(problems)
    return definition


def _label(value) -> str:
    if value in (None, "", [], {}):
        return _("（无）")
    if isinstance(value, dict):
        return "，".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def diff(policy: Policy | None, data: dict) -> list[str]:
    """What applying ``data`` changes, line by line, against ``policy`` (the same effective
    date) or, for a new version, against the version in force before it."""
    effective = datetime.date.fromisoformat(data["effective_from"])
    changes = []
    if policy is None:
        earlier = (
            Policy.objects.filter(effective_from__lt=effective).order_by("-effective_from").first()
        )
        changes.append(_("新的政策版本，%s起施行。") % effective.isoformat())
        base = earlier
        if earlier is not None:
            changes.append(_("与此前施行的“%s”相比：") % earlier)
    else:
        base = policy
        if policy.name != data["name"]:
            changes.append(_("名称：%(old)s → %(new)s") % {"old": policy.name, "new": data["name"]})
    old = {t.key: t for t in base.treatments.all()} if base is not None else {}
    for index, item in enumerate(data["treatments"]):
        values = _values(item, index)
        current = old.pop(item["key"], None)
        if current is None:
            changes.append(
                _("新增待遇“%(name)s”（%(key)s）") % {"name": item["name"], "key": item["key"]}
            )
            continue
        for name in FIELDS:
            before, after = getattr(current, name), values[name]
            if before != after:
                changes.append(
                    _("“%(treatment)s”的%(field)s：%(old)s → %(new)s")
                    % {
                        "treatment": current.name,
                        "field": Treatment._meta.get_field(name).verbose_name,
                        "old": _label(before),
                        "new": _label(after),
                    }
                )
    for treatment in old.values():
        changes.append(
            _("删除待遇“%(name)s”（%(key)s）") % {"name": treatment.name, "key": treatment.key}
        )
    if base is not None and bool(data.get("example")) != base.example:
        changes.append(_("示例数值：%s") % (_("是") if data.get("example") else _("否")))
    return changes or [_("没有变化。")]


@transaction.atomic
def load_policy(actor, text: str, source: str = "", *, dry_run: bool = False) -> PolicyResult:
    """Check, diff and (unless ``dry_run``) apply a policy file, then recompute entitlements
    from its effective date (and of every later version, which still governs after it)."""
    require(actor, "treatment.manage_policy")
    data = check(text, source).data
    effective = datetime.date.fromisoformat(data["effective_from"])
    policy = Policy.objects.select_for_update().filter(effective_from=effective).first()
    changes = diff(policy, data)
    keys = {item["key"] for item in data["treatments"]}
    if policy is not None:
        in_use = (
            Treatment.objects.filter(policy=policy)
            .exclude(key__in=keys)
            .filter(pk__in=Entitlement.objects.values("treatment_id"))
        )
        if in_use.exists():
            raise DefinitionError(
                [
                    Problem(
                        None,
                        "treatments",
                        _(
                            "待遇“%s”已有待遇资格，不能从本版本中删除；如需停止，"
                            "请以新的施行日期装载新版本。"
                        )
                        % "、".join(t.name for t in in_use),
                    )
                ]
            )
    if dry_run:
        return PolicyResult(policy, changes, dry_run=True)
    with audit_context(actor, _("装载待遇政策：%s") % (source or data["name"])):
        policy = policy or Policy(effective_from=effective)
        policy.name = data["name"]
        policy.basis = data.get("basis", "")
        policy.example = bool(data.get("example", False))
        policy.source = text
        policy.source_name = source
        policy.save()
        existing = {t.key: t for t in policy.treatments.all()}
        for index, item in enumerate(data["treatments"]):
            treatment = existing.pop(item["key"], None) or Treatment(policy=policy, key=item["key"])
            for name, value in _values(item, index).items():
                setattr(treatment, name, value)
            treatment.save()
        for treatment in existing.values():
            treatment.delete()
    transaction.on_commit(lambda: _recompute(policy.pk))
    return PolicyResult(policy, changes)


def _recompute(policy_pk: int) -> None:
    recompute_entitlements.enqueue(policy_pk)
