"""Honours that come from elsewhere than a registration: the awards of the campaigns run in this
system (a title that carries treatment makes its awardees honorees, H-1). The campaign calls
these services and keeps the link to the honour on its side."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.audit import audit_context
from laurel.registry import checks
from laurel.registry.models import Honour, HonourType, Kind, Level, Person
from laurel.registry.tasks import refresh_statistics


@dataclass(frozen=True)
class Awardee:
    """Who received the award, as the nomination form has them."""

    name: str
    id_number: str
    gender: str
    ethnicity: str
    birth_date: datetime.date | None
    unit: object  # orgs.Unit
    unit_name: str
    position: str
    phone: str


@transaction.atomic
def record_award_honour(
    actor,
    awardee: Awardee,
    *,
    title: str,
    awarding_body: str,
    document_number: str,
    awarded_on: datetime.date,
    treatment: str,
    honour: Honour | None = None,
) -> Honour:
    """A provincial award with treatment becomes an honour of the awardee; the person is created
    when the registry does not know the ID number yet. ``honour``: the one recorded earlier for
    the same award, updated in place."""
    person = Person.objects.by_id_number(awardee.id_number).first()
    with audit_context(actor, _("表彰决定登记入库")):
        if person is None:
            person = Person(
                name=awardee.name,
                gender=awardee.gender,
                ethnicity=awardee.ethnicity,
                birth_date=awardee.birth_date,
                unit=awardee.unit,
                unit_name=awardee.unit_name,
                position=awardee.position,
                division=awardee.unit.division,
                filed_at=timezone.now(),
            )
            person.set_id_number(awardee.id_number)
            person.set_phone(awardee.phone)
            person.save()
        honour = honour or Honour(person=person)
        honour.person = person
        honour.title = title
        honour.level = Level.PROVINCIAL
        honour.kind = Kind.PROVINCIAL
        honour.honour_type = checks.title_type(title, Kind.PROVINCIAL) or HonourType.OTHER
        honour.awarding_body = awarding_body
        honour.document_number = document_number
        honour.awarded_on = awarded_on
        honour.treatment = treatment
        honour.status = Honour.Status.HELD
        honour.revoked_on = None
        honour.origin = Honour.Origin.AWARD
        honour.save()
    transaction.on_commit(refresh_statistics.enqueue)
    return honour


@transaction.atomic
def revoke_honour(actor, honour: Honour, reason: str) -> Honour:
    """The honour is revoked with the award it came from (C-11)."""
    honour = Honour.objects.select_for_update().get(pk=honour.pk)
    with audit_context(actor, reason):
        honour.status = Honour.Status.REVOKED
        honour.revoked_on = timezone.localdate()
        honour.save()
    transaction.on_commit(refresh_statistics.enqueue)
    return honour
