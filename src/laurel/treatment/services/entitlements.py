"""Entitlements kept true to the registry (H-7). Entitlements are derived data: bringing a
person up to date "from date D" replays what is due from D on — rows that start after D are
recomputed, rows running at D go on while still due, and the replay steps through every day on
which what is due can change (a policy version's effective date, an honour awarded or revoked,
a death or retirement recorded, a birthday reaching a minimum age). The registry dates those
changes (``Honour.revoked_on``, ``Person.died_on`` / ``retired_on``), so replaying everything
from the first policy's date — what every refresh does by default — keeps the history: an
allowance that a revocation ended still ran until that day. One person's replay is audited row
by row; everyone's (a policy loaded, an import) runs in locked batches, its creations and
changes summed in one audit row on the policy (a row deleted is recorded as such)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core import audit
from laurel.core.audit import audit_context
from laurel.core.models import AuditLog
from laurel.core.permissions import require
from laurel.registry.models import Honour, Person
from laurel.treatment import domain
from laurel.treatment.models import Entitlement, Policy

BATCH = 2000


def policies() -> list[Policy]:
    """Every version, oldest first, with its treatments."""
    return list(Policy.objects.prefetch_related("treatments").order_by("effective_from"))


def first_date(versions: list[Policy]) -> datetime.date | None:
    return versions[0].effective_from if versions else None


def steps(versions: list[Policy], person, honours, on: datetime.date):
    """(date, policy in force) from ``on``: ``on`` itself and every later day on which what
    is due can change — a version's effective date, an honour awarded or revoked, a death or
    retirement recorded, a birthday that reaches a treatment's minimum age."""
    dates = {on}
    dates |= {p.effective_from for p in versions}
    for honour in honours:
        dates |= {honour.awarded_on, honour.revoked_on}
    dates |= {person.died_on, person.retired_on}
    if person.birth_date is not None:
        ages = {t.min_age for p in versions for t in p.treatments.all() if t.min_age}
        dates |= {domain.birthday(person.birth_date, age) for age in ages}
    out = []
    for day in sorted(d for d in dates if d is not None and d >= on):
        in_force = [p for p in versions if p.effective_from <= day]
        if in_force:
            out.append((day, in_force[-1]))
    return out


@dataclass
class Replay:
    delete: list = field(default_factory=list)
    update: list = field(default_factory=list)
    create: list = field(default_factory=list)


def _end_reason(row, person, honours_by_pk, current_ids, as_of) -> str:
    """Why a running entitlement ends: the first reason that holds."""
    honour = honours_by_pk.get(row.honour_id)
    if honour is None or not domain.held_on(honour, as_of):
        return _("荣誉已撤销")
    if not domain.living_on(person, as_of):
        return _("已去世")
    if row.treatment_id not in current_ids:
        return _("新的待遇政策施行")
    return domain.person_refusal(row.treatment, person, as_of) or _("待遇标准或条件变化")


def replay(person, honours, rows, versions, on) -> Replay:
    """What to write so that ``person``'s rows are right from ``on``: rows that start after
    ``on`` are recomputed, rows running at ``on`` go on while still due. A one-off is an event:
    it is never ended, and an honour gets it once whatever the version."""
    out = Replay()
    before = {row.pk: (row.ends_on, row.end_reason) for row in rows}
    running, paid_once = [], set()
    for row in rows:
        if row.starts_on > on:
            out.delete.append(row)
        elif row.treatment.per_honour:
            paid_once.add((row.treatment.key, row.honour_id))
        elif row.ends_on is None or row.ends_on > on:
            row.ends_on, row.end_reason = None, ""
            running.append(row)
    by_pk = {h.pk: h for h in honours}
    for as_of, policy in steps(versions, person, honours, on):
        treatments = list(policy.treatments.all())
        wanted = {d.key: d for d in domain.due(person, honours, treatments, as_of)}
        have = {}
        for row in list(running):
            key = (row.treatment_id, row.honour_id, row.amount)
            if key in have:  # a duplicate (two replays at once before the constraint)
                running.remove(row)
                if row.pk:
                    out.delete.append(row)
                else:
                    out.create.remove(row)
            else:
                have[key] = row
        current_ids = {t.pk for t in treatments}
        for key, row in have.items():
            if key in wanted:
                continue
            running.remove(row)
            if row.starts_on >= as_of:  # it would never have run
                if row.pk is None:
                    out.create.remove(row)
                else:
                    out.delete.append(row)
                continue
            row.ends_on = as_of
            row.end_reason = _end_reason(row, person, by_pk, current_ids, as_of)
        for key, item in wanted.items():
            if key in have:
                continue
            if item.treatment.per_honour:
                once = (item.treatment.key, item.honour.pk)
                if once in paid_once:
                    continue
                paid_once.add(once)
            row = Entitlement(
                person=person,
                honour=item.honour,
                treatment=item.treatment,
                amount=item.amount,
                starts_on=as_of,
            )
            out.create.append(row)
            if not item.treatment.per_honour:
                running.append(row)
    # A stored row deleted and the same row created again (a row that starts after ``on``, as
    # every later one does when replaying from the first policy's date): keep the stored one, so
    # that nothing is written where nothing changed and ids stay as they were.
    stored = {}
    for row in out.delete:
        stored.setdefault((row.treatment_id, row.honour_id, row.amount, row.starts_on), row)
    for row in list(out.create):
        twin = stored.pop((row.treatment_id, row.honour_id, row.amount, row.starts_on), None)
        if twin is None:
            continue
        out.create.remove(row)
        out.delete.remove(twin)
        twin.ends_on, twin.end_reason = row.ends_on, row.end_reason
    for row in rows:
        changed = before.get(row.pk) != (row.ends_on, row.end_reason)
        if row.pk in before and row not in out.delete and changed:
            out.update.append(row)
    return out


def _rows(person_ids):
    return Entitlement.objects.filter(person_id__in=person_ids).select_related("treatment")


@transaction.atomic
def refresh_person(actor, person: Person, on: datetime.date | None = None, reason: str = ""):
    """Bring one person's entitlements up to date from ``on`` (by default the first policy's
    effective date: the whole history, which a replay leaves as it was where nothing changed)."""
    if actor is not None:
        require(actor, "treatment.refresh_entitlements")
    versions = policies()
    on = on or first_date(versions) or timezone.localdate()
    person = Person.objects.select_for_update().get(pk=person.pk)
    result = replay(person, list(person.honours.all()), list(_rows([person.pk])), versions, on)
    with audit_context(actor, reason or _("登记信息变化，重新核定待遇")):
        for row in result.delete:
            row.delete()
        for row in result.update:
            row.save(update_fields=["ends_on", "end_reason"])
        for row in result.create:
            row.save()
    return result


def refresh_all(on: datetime.date, person_ids=None, reason: str = "") -> tuple[int, int, int]:
    """Everyone with honours (or ``person_ids``) from ``on``, ``BATCH`` people at a time, with
    bulk writes and one audit row. Returns (created, ended or reopened, deleted)."""
    versions = policies()
    people = Person.objects.filter(honours__isnull=False).distinct().order_by("pk")
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    ids = list(people.values_list("pk", flat=True))
    created = updated = deleted = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic():
            # Locked, in key order: a second replay of the same people waits for this one.
            persons = {
                p.pk: p
                for p in Person.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .only("pk", "living", "retired", "birth_date", "died_on", "retired_on")
            }
            honours, rows = defaultdict(list), defaultdict(list)
            for honour in Honour.objects.filter(person_id__in=chunk).only(
                "pk", "person_id", "level", "kind", "status", "awarded_on", "revoked_on"
            ):
                honours[honour.person_id].append(honour)
            for row in _rows(chunk):
                rows[row.person_id].append(row)
            total = Replay()
            for pk in chunk:
                result = replay(persons[pk], honours[pk], rows[pk], versions, on)
                total.delete += result.delete
                total.update += result.update
                total.create += result.create
            if total.delete:
                Entitlement.objects.filter(pk__in=[r.pk for r in total.delete]).delete()
            Entitlement.objects.bulk_update(
                total.update, ["ends_on", "end_reason"], batch_size=1000
            )
            Entitlement.objects.bulk_create(total.create, batch_size=1000)
            created += len(total.create)
            updated += len(total.update)
            deleted += len(total.delete)
    in_force = [p for p in versions if p.effective_from <= on] or versions
    policy = in_force[-1] if in_force else None
    if policy is not None:
        audit.record(
            policy,
            AuditLog.Action.UPDATE,
            [
                {
                    "field": "entitlements",
                    "label": str(_("待遇资格")),
                    "new": f"+{created} ~{updated} -{deleted}",
                }
            ],
            reason=reason
            or str(_("自%(on)s起重新核定待遇资格：新增%(created)d项，终止或恢复%(updated)d项"))
            % {"on": on.isoformat(), "created": created, "updated": updated},
        )
    return created, updated, deleted
