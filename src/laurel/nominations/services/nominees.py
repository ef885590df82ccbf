"""Every write to nominees: one function per change (guard → save → audit row)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.campaigns.models import AwardCategory, Campaign, NominatingBody, Quota
from laurel.core import audit, crypto
from laurel.core.audit import audit_context
from laurel.core.models import AuditLog
from laurel.core.permissions import in_area, require
from laurel.core.services import sync_codes
from laurel.nominations import eligibility
from laurel.nominations.models import (
    ClaimedCondition,
    Nominee,
    NomineeRecord,
    ResumeEntry,
    ReviewOpinion,
)
from laurel.nominations.photos import process_photo, store_photo
from laurel.nominations.procedure import submission_problems
from laurel.nominations.queries import body_for_unit
from laurel.nominations.rules import may_enter_for
from laurel.nominations.services.clearance import reopen_for_another_person
from laurel.nominations.services.review import notify_reviewers
from laurel.nominations.tiers import tiers_for
from laurel.orgs.models import Unit

EDITABLE_FIELDS = frozenset(
    f.name
    for f in Nominee._meta.concrete_fields
    if f.editable
    and f.name
    not in {
        "id",
        "campaign",
        "category",
        "body",
        "nominating_unit",
        "division",
        "kind",
        "state",
        "submitted_to",
        "submitted_at",
        "rank",
        "created_by",
        "justifications",
    }
)


def _locked(actor, nominee: Nominee, rule: str = "nominations.edit_nominee") -> Nominee:
    """The nominee, row-locked, once ``actor`` may do ``rule`` to it in its current state."""
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    require(actor, rule, nominee)
    return nominee


def _refuse_resubmission(nominee: Nominee) -> None:
    """C-11: after a revocation or a disqualification there is no resubmission. Every way out
    of a campaign is one: a revocation, a recheck found ineligible, a founded objection, the
    office's stop after a department's 不同意, a withdrawal after a tier's disagreement where the
    plan says so (a plain withdrawal returns the nominee to a draft, not here)."""
    if not nominee.id_number and nominee.kind == Nominee.Kind.INDIVIDUAL:
        return
    earlier = Nominee.objects.filter(
        campaign=nominee.campaign,
        state__in=[Nominee.State.REVOKED, Nominee.State.WITHDRAWN],
        kind=nominee.kind,
    )
    earlier = (
        earlier.filter(id_hash__in=crypto.lookup_hashes(nominee.id_number))
        if nominee.kind == Nominee.Kind.INDIVIDUAL
        else earlier.filter(name=nominee.name.strip())
    )
    earlier = earlier.exclude(pk=nominee.pk)
    out = nominee.campaign.withdrawal_after_disagreement == Campaign.AfterDisagreement.OUT
    for other in earlier:
        revoked = other.state == Nominee.State.REVOKED or getattr(other, "recheck", None)
        disagreed = other.review_opinions.filter(decision=ReviewOpinion.Decision.DISAGREE)
        if nominee.is_individual and other.nominating_unit_id != nominee.nominating_unit_id:
            # Another unit's nominee: say only that the number cannot be nominated (what
            # happened to that person is not this unit's to learn).
            raise ValidationError(
                {
                    "id_number": _(
                        "此身份证号码在本活动中不能再被推荐，如有疑问请联系省级表彰工作办公室。"
                    )
                }
            )
        if revoked:
            raise ValidationError(
                _("“%s”在本活动中已被撤销或取消资格，不得重报（C-11）。") % nominee.name
            )
        if out and disagreed.exists():  # the campaign's rule: out once withdrawn after one
            raise ValidationError(
                _("“%s”经审核不同意后已撤回，按本活动规定不得再次推荐。") % nominee.name
            )
        raise ValidationError(
            _(
                "“%s”在本活动中已被取消推荐资格（如异议属实、征求意见后决定不予推荐），不得重报（C-11）。"
            )
            % nominee.name
        )


def _refuse_second_nomination(nominee: Nominee) -> None:
    """One person once per campaign (an ID number on one nominee only), whichever unit enters
    it; the message names nobody else's nominee."""
    if nominee.kind != Nominee.Kind.INDIVIDUAL or not nominee.id_number:
        return
    others = Nominee.objects.filter(
        campaign_id=nominee.campaign_id,
        kind=Nominee.Kind.INDIVIDUAL,
        id_hash__in=crypto.lookup_hashes(nominee.id_number),
    ).exclude(pk=nominee.pk)
    if others.exists():
        raise ValidationError(
            {"id_number": _("此身份证号码已在本活动中被推荐，同一人在一个活动中只能推荐一次。")}
        )


@transaction.atomic
def create_nominee(
    actor,
    campaign: Campaign,
    category: AwardCategory,
    *,
    nominating_unit: Unit | None = None,
    reason: str = "",
    **fields,
) -> Nominee:
    require(actor, "nominations.add_nominee")
    if campaign.status != Campaign.Status.PUBLISHED:
        raise ValidationError(_("活动尚未发布或已结束，不能新增推荐对象。"))
    if category.campaign_id != campaign.pk:
        raise ValidationError(_("类别不属于该活动。"))
    unit = nominating_unit or (actor.unit if actor is not None else None)
    if unit is None:
        raise ValidationError({"nominating_unit": _("请指定申报单位。")})
    if not in_area(actor, "nominations.add_nominee", unit):
        raise PermissionDenied(_("只能为本人权限范围内的单位申报。"))
    body = body_for_unit(campaign, unit)
    if body is None:
        raise ValidationError(_("“%s”不属于本活动的任何推荐单位，无法申报。") % unit)
    if actor is not None and not may_enter_for(actor, unit, body):
        raise PermissionDenied(
            _("“%(unit)s”属于“%(body)s”，由其申报，占用其名额。")
            % {"unit": unit, "body": body.name}
        )
    nominee = Nominee(
        campaign=campaign,
        category=category,
        body=body,
        nominating_unit=unit,
        division=unit.division,
        kind=category.kind,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS:
            raise TypeError(key)
        setattr(nominee, key, value)
    nominee.full_clean(exclude=["photo"])
    _refuse_resubmission(nominee)
    _refuse_second_nomination(nominee)
    rank = Nominee.objects.filter(body=body, category=category).aggregate(m=Max("rank"))["m"]
    nominee.rank = (rank or 0) + 1
    with audit_context(actor, reason):
        nominee.save()
        _record_c5_hit(nominee, "")
    return nominee


def _record_c5_hit(nominee: Nominee, earlier_hash: str) -> None:
    """An ID number entered that matches honours on record: an audit row on the nominee, so the
    office sees who typed which numbers (a unit probing people through drafts shows up)."""
    if not nominee.id_hash or nominee.id_hash == earlier_hash:
        return
    if eligibility.prior_honours(nominee):
        audit.record(
            nominee,
            AuditLog.Action.UPDATE,
            [{"field": "c5_check", "label": str(_("以往表彰核查"))}],
            reason=str(_("填报的身份证号码有以往表彰记录，须由办公室核查（C-5）")),
        )


@transaction.atomic
def save_draft(actor, nominee: Nominee, *, reason: str = "", **fields) -> Nominee:
    nominee = _locked(actor, nominee)
    earlier_hash, earlier_person = nominee.id_hash, (nominee.name, nominee.id_number or "")
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS:
            raise TypeError(key)
        setattr(nominee, key, value)
    nominee.full_clean(exclude=["photo"])
    _refuse_second_nomination(nominee)
    if nominee.is_individual and (nominee.id_number or "") != earlier_person[1]:
        _refuse_another_person_after_the_deadline(nominee)
    with audit_context(actor, reason):
        nominee.save()
        _record_c5_hit(nominee, earlier_hash)
    if (nominee.name, nominee.id_number or "") != earlier_person:
        # another person: the departments' opinions were about the earlier one (C-9); the
        # unit notice asks for a notice of the new person on its own (public.notice_problems)
        reopen_for_another_person(actor, nominee)
    return nominee


def _refuse_another_person_after_the_deadline(nominee: Nominee) -> None:
    """A nominee sent back goes up again after the deadline (it kept its place all along,
    ``submit_nominee``) — as the same person (the same ID number; a name may be corrected):
    another person in the place after the deadline is a new nomination, which the deadline
    refuses like any new draft. A collective's name may be corrected (a reviewer asks for the
    full name); its changed name still needs a new unit notice (``public.notice_problems``)."""
    deadline = nominee.campaign.material_deadline(nominee.body)
    if nominee.is_sent_back and deadline and timezone.localdate() > deadline:
        raise ValidationError(
            _(
                "推荐材料报送截止日期（%s）已过：退回修改的推荐对象只能修改材料，不能更换人员；"
                "确需更换的，请联系省级表彰工作办公室为本推荐单位延期。"
            )
            % deadline.isoformat()
        )


def _replace_children(queryset, rows: list, create) -> None:
    """Replace child rows only when they differ, so re-saving the same form writes nothing."""
    existing = list(queryset)
    wanted = [tuple(sorted(row.items())) for row in rows]
    current = [
        tuple(sorted((k, getattr(obj, k)) for k in row))
        for obj, row in zip(existing, rows, strict=False)
    ]
    if len(existing) == len(rows) and current == wanted:
        return
    for obj in existing:
        obj.delete()
    for row in rows:
        create(row)


@transaction.atomic
def set_resume(actor, nominee: Nominee, entries: list[dict]) -> None:
    """Replace the résumé; each entry is ``{"start": date, "end": date | None, "text": str}``."""
    nominee = _locked(actor, nominee)
    rows = [
        {"start": e["start"], "end": e.get("end"), "text": e["text"].strip(), "sort_order": i}
        for i, e in enumerate(sorted(entries, key=lambda e: e["start"]))
    ]
    with audit_context(actor):
        _replace_children(
            nominee.resume.order_by("sort_order"),
            rows,
            lambda row: ResumeEntry.objects.create(nominee=nominee, **row),
        )


@transaction.atomic
def set_records(actor, nominee: Nominee, kind: str, entries: list[dict]) -> None:
    """Replace the awards (``kind="award"``) or punishments of a nominee."""
    nominee = _locked(actor, nominee)
    fields = ("date", "issuer", "text", "level", "treatment")
    rows = [{k: e.get(k, "" if k != "treatment" else False) for k in fields} for e in entries]
    for row in rows:
        if kind == NomineeRecord.Kind.AWARD and row["level"] == NomineeRecord.Level.BELOW:
            raise ValidationError(
                {"records": _("“%s”：奖励只填地市级及以上（附件3填表说明第五条）。") % row["text"]}
            )
    with audit_context(actor):
        _replace_children(
            nominee.records.filter(kind=kind).order_by("date", "pk"),
            rows,
            lambda row: NomineeRecord.objects.create(nominee=nominee, kind=kind, **row),
        )


@transaction.atomic
def set_conditions(actor, nominee: Nominee, condition_ids: Iterable[int]) -> None:
    nominee = _locked(actor, nominee)
    allowed = {str(pk) for pk in nominee.category.conditions.values_list("pk", flat=True)}
    with audit_context(actor):
        sync_codes(
            {str(c.condition_id): c for c in nominee.claims.all()},
            {str(pk) for pk in condition_ids},
            allowed,
            lambda pk: ClaimedCondition.objects.create(nominee=nominee, condition_id=int(pk)),
            "conditions",
        )


@transaction.atomic
def set_justification(actor, nominee: Nominee, code: str, text: str) -> Nominee:
    """The written reason that lets an "in principle" warning pass."""
    nominee = _locked(actor, nominee)
    justifications = dict(nominee.justifications)
    if text.strip():
        justifications[code] = text.strip()
    else:
        justifications.pop(code, None)
    with audit_context(actor):
        nominee.justifications = justifications
        nominee.save()
    return nominee


@transaction.atomic
def set_photo(actor, nominee: Nominee, upload) -> Nominee:
    nominee = _locked(actor, nominee)
    path = store_photo(process_photo(upload))
    with audit_context(actor, _("上传照片")):
        nominee.photo = path
        nominee.save()
    return nominee


@transaction.atomic
def import_rows(actor, campaign: Campaign, category: AwardCategory, rows: list[dict]):
    """Drafts from the rows of an imported sheet, all or nothing."""
    return [
        create_nominee(
            actor, campaign, category, **{k: v for k, v in row.items() if v not in (None, "")}
        )
        for row in rows
    ]


@transaction.atomic
def save_nominee_form(
    actor,
    nominee: Nominee,
    *,
    fields: dict,
    resume: list[dict] | None,
    awards: list[dict] | None,
    punishments: list[dict] | None,
    conditions: Iterable[int] | None,
    justifications: dict[str, str],
    photo=None,
) -> Nominee:
    """The nominee's whole form as one change: every part is saved, or nothing is. A part given
    as None is left as it is (a draft keeps what was valid while the rest is corrected)."""
    nominee = save_draft(actor, nominee, **fields)
    if resume is not None:
        set_resume(actor, nominee, resume)
    if awards is not None:
        set_records(actor, nominee, NomineeRecord.Kind.AWARD, awards)
    if punishments is not None:
        set_records(actor, nominee, NomineeRecord.Kind.PUNISHMENT, punishments)
    if conditions is not None:
        set_conditions(actor, nominee, conditions)
    for code, text in justifications.items():
        if text.strip() != (nominee.justifications.get(code) or ""):
            nominee = set_justification(actor, nominee, code, text)
    if photo:
        nominee = set_photo(actor, nominee, photo)
    return nominee


@transaction.atomic
def move_nominee(actor, nominee: Nominee, direction: int) -> None:
    """Move a nominee one place up (-1) or down (+1) in its body's ranking for the category."""
    require(actor, "nominations.rank_nominees", nominee)
    siblings = list(
        Nominee.objects.select_for_update()
        .filter(body=nominee.body, category=nominee.category)
        .exclude(state=Nominee.State.WITHDRAWN)
        .order_by("rank", "pk")
    )
    index = next(i for i, n in enumerate(siblings) if n.pk == nominee.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    settled = (Nominee.State.RECEIVED, Nominee.State.AWARDED, Nominee.State.REVOKED)
    for position, item in enumerate(siblings, start=1):
        if item.rank != position and item.state in settled:
            raise ValidationError(_("“%s”已被省级接收，其名次不能再调整。") % item.name)
    with audit_context(actor, _("调整排序")):
        for position, item in enumerate(siblings, start=1):
            if item.rank != position:
                item.rank = position
                item.save(update_fields=["rank"])


def _quota_refusal(nominee: Nominee, quota: Quota) -> str | None:
    """Why one more submission would overrun the quota or a reserved sub-quota, or None."""
    active = (
        Nominee.objects.active()
        .filter(body=nominee.body, category=nominee.category)
        .exclude(pk=nominee.pk)  # a nominee sent back already holds its place
    )
    used = active.count()
    label = f"{nominee.body}·{nominee.category}"
    if used >= quota.places:
        return _("%(label)s名额%(places)d个已用完（已上报%(used)d个），不能再上报。") % {
            "label": label,
            "places": quota.places,
            "used": used,
        }
    reservations = [r for r in quota.reservations.select_related("division") if r.division_id]
    reserved_used = 0
    for reserve in reservations:
        in_area = active.filter(division__path__startswith=reserve.division.path).count()
        reserved_used += in_area
        if nominee.division.path.startswith(reserve.division.path) and in_area >= reserve.places:
            return _("%(name)s单列名额%(places)d个已用完，不能再上报。") % {
                "name": reserve.name,
                "places": reserve.places,
            }
    if reservations and not any(
        nominee.division.path.startswith(r.division.path) for r in reservations
    ):
        general = quota.places - sum(r.places for r in reservations)
        if used - reserved_used >= general:
            return _("%(label)s除单列名额外的%(places)d个名额已用完，不能再上报。") % {
                "label": label,
                "places": general,
            }
    return None


@transaction.atomic
def submit_nominee(actor, nominee: Nominee, reason: str = "") -> Nominee:
    """Draft → submitted, to the city for county-level nominees of a region, else to the
    province (C-8). Refused when incomplete, ineligible, a warning lacks its justification, or
    the quota (or a reserved sub-quota) is used up. The quota row is locked for the check, so
    concurrent submissions cannot overrun it."""
    nominee = _locked(actor, nominee, "nominations.submit_nominee")
    incomplete, blocking, unjustified, procedure = submission_problems(nominee)
    messages = [str(p) for p in incomplete] + [f.message for f in blocking]
    messages += [_("请说明：%s") % f.message for f in unjustified] + procedure
    if messages:
        raise ValidationError(messages)
    _refuse_resubmission(nominee)  # a collective renamed after its draft was created
    deadline = nominee.campaign.material_deadline(nominee.body)
    resubmitted = nominee.state == Nominee.State.SENT_BACK
    # A nominee sent back for changes was submitted in time: its corrected version may go up
    # after the deadline (it kept its place all along).
    if deadline and timezone.localdate() > deadline and not resubmitted:
        raise ValidationError(
            _(
                "推荐材料报送截止日期（%s）已过，不能再上报；确需延期的，"
                "请联系省级表彰工作办公室为本推荐单位延期。"
            )
            % deadline.isoformat()
        )
    quota = Quota.objects.select_for_update().get(body=nominee.body, category=nominee.category)
    refusal = _quota_refusal(nominee, quota)
    if refusal:
        raise ValidationError(refusal)
    to_city = nominee.level == "county" and nominee.body.kind == NominatingBody.Kind.REGION
    with audit_context(actor, reason or (_("修改后重新上报") if resubmitted else _("上报"))):
        nominee.state = Nominee.State.SUBMITTED
        nominee.submitted_to = Nominee.Target.CITY if to_city else Nominee.Target.PROVINCE
        nominee.submitted_at = timezone.now()
        nominee.submitted_by_unit = actor.unit if actor is not None else None
        nominee.review_tier = tiers_for(nominee)[0]
        nominee.review_round += 1
        nominee.save()
    notify_reviewers(nominee)
    return nominee


@transaction.atomic
def withdraw_nominee(actor, nominee: Nominee, reason: str) -> Nominee:
    """Submitted → draft, freeing the quota place: at any tier until the province receives
    it; the next submission starts a new round at the first tier (earlier rounds' opinions
    stay on the record, a disagreement in front of the reviewers). After a tier's
    disagreement, where the plan says so, → withdrawn for good instead."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤回原因。")})
    nominee = _locked(actor, nominee, "nominations.withdraw_nominee")
    disagreed = nominee.review_opinions.filter(
        round=nominee.review_round, decision=ReviewOpinion.Decision.DISAGREE
    ).exists()
    out = Campaign.AfterDisagreement.OUT
    with audit_context(actor, reason):
        if disagreed and nominee.campaign.withdrawal_after_disagreement == out:
            # The campaign's rule: a nominee a tier disagreed with is out once withdrawn.
            nominee.state = Nominee.State.WITHDRAWN
            nominee.review_tier = ""
            nominee.save()
            return nominee
        nominee.state = Nominee.State.DRAFT
        nominee.submitted_to = ""
        nominee.submitted_at = None
        nominee.submitted_by_unit = None
        nominee.review_tier = ""
        nominee.save()
    return nominee


@transaction.atomic
def delete_draft(actor, nominee: Nominee, reason: str = "") -> None:
    nominee = _locked(actor, nominee, "nominations.delete_nominee")
    try:
        with transaction.atomic(), audit_context(actor, reason or _("删除草稿")):
            nominee.delete()
    except ProtectedError:
        # on a public notice (or another record that must stay): the public saw the name
        raise ValidationError(
            _("“%s”已列入公示，公示记录须保留，不能删除；不再推荐的，不上报即可。") % nominee.name
        ) from None
