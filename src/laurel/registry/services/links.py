"""Links between the registry and campaigns: the registry answers the prior-honoree check of
C-5; awards of a title that carries treatment become honours (and revocations follow)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from laurel.core import crypto
from laurel.nominations.eligibility import PriorHonour
from laurel.registry.models import Honour, HonourType, Kind, Level, Person


def registry_prior_honours(nominee) -> list[PriorHonour]:
    """C-5: honours held with treatment, found by the nominee's ID number (exact, hashed)."""
    if not nominee.is_individual or not nominee.id_number:
        return []
    honours = Honour.objects.filter(
        person__id_hash=crypto.lookup_hash(nominee.id_number), status=Honour.Status.HELD
    ).filter(source_award__isnull=True)  # campaign awards: the campaigns source has them
    return [_prior_honour(h) for h in honours]


def _prior_honour(honour: Honour) -> PriorHonour:
    source = f"{honour.awarding_body} {honour.document_number}".strip()
    return PriorHonour(honour.title, honour.level, honour.awarded_on, source)


def _registry_prior_honours_many(nominees) -> dict[int, list[PriorHonour]]:
    found: dict[int, list[PriorHonour]] = {n.pk: [] for n in nominees}
    hashes: dict[str, list[int]] = {}
    for nominee in nominees:
        if nominee.is_individual and nominee.id_number:
            hashes.setdefault(crypto.lookup_hash(nominee.id_number), []).append(nominee.pk)
    if not hashes:
        return found
    honours = (
        Honour.objects.filter(person__id_hash__in=list(hashes), status=Honour.Status.HELD)
        .filter(source_award__isnull=True)
        .select_related("person")
    )
    for h in honours:
        for pk in hashes[h.person.id_hash]:
            found[pk].append(_prior_honour(h))
    return found


registry_prior_honours.many = _registry_prior_honours_many


def on_awards_issued(sender, award_ids, **kwargs) -> None:
    from laurel.evaluation.models import Award

    awards = Award.objects.filter(pk__in=award_ids).select_related(
        "nominee__category", "nominee__campaign__approval", "nominee__nominating_unit__division"
    )
    with transaction.atomic():
        for award in awards:
            honour_from_award(award)
    _refresh()


def _refresh() -> None:
    from laurel.registry.tasks import refresh_statistics

    refresh_statistics.enqueue()


def honour_from_award(award) -> Honour | None:
    """An individual award of a category whose title carries treatment becomes an honour of the
    awardee (the person is created if the registry does not know the ID number yet)."""
    nominee = award.nominee
    category = nominee.category
    if not nominee.is_individual or not category.treatment or not nominee.id_number:
        return None
    person = Person.objects.filter(id_hash=crypto.lookup_hash(nominee.id_number)).first()
    if person is None:
        person = Person(
            name=nominee.name,
            gender=nominee.gender,
            ethnicity=nominee.ethnicity,
            birth_date=nominee.birth_date,
            unit=nominee.nominating_unit,
            unit_name=nominee.work_unit_name,
            position=nominee.position_rank,
            division=nominee.nominating_unit.division,
            filed_at=timezone.now(),
        )
        person.set_id_number(nominee.id_number)
        person.set_phone(nominee.mobile)
        person.save()
    approval = getattr(nominee.campaign, "approval", None)
    honour, _created = Honour.objects.update_or_create(
        source_award=award,
        defaults={
            "person": person,
            "title": category.honour_title,
            "level": Level.PROVINCIAL,
            "kind": Kind.PROVINCIAL,
            "honour_type": HonourType.OTHER,
            "awarding_body": nominee.campaign.commended_in_name_of,
            "document_number": approval.document_number if approval else "",
            "awarded_on": award.issued_on,
            "treatment": category.treatment,
            "status": Honour.Status.HELD,
        },
    )
    return honour


def on_award_revoked(sender, award_id, **kwargs) -> None:
    for honour in Honour.objects.filter(source_award_id=award_id):
        honour.status = Honour.Status.REVOKED
        honour.save()
    _refresh()
