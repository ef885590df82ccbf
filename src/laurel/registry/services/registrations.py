"""Registrations through the tiers to filing (H-2 … H-5). One function per state change:
guard → save → audit row (→ notification after commit)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.queries import signs_registrations_in_laurel
from laurel.core import crypto
from laurel.core.audit import audit_context
from laurel.core.permissions import in_area, require
from laurel.core.uploads import store_document
from laurel.core.validators import (
    resident_id_birth_date,
    resident_id_gender,
    validate_mobile,
    validate_opinion_date,
    validate_phone,
    validate_resident_id,
)
from laurel.orgs.models import Unit
from laurel.orgs.signing import functions_of, signing_function
from laurel.registry import checks, routing
from laurel.registry.models import (
    KIND_LEVEL,
    Drive,
    DriveContact,
    Honour,
    Person,
    RegisteredHonour,
    Registration,
    RegistrationOpinion,
)
from laurel.registry.services.privacy import log_id_search
from laurel.registry.tasks import refresh_statistics

PERSON_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "unit_name",
    "position",
    "household_division",
    "is_farmer_or_no_unit",
    "retired",
    "living",
    "active_military",
    "classified",
    "has_personnel_file",
)
HONOUR_FIELDS = (
    "title",
    "kind",
    "honour_type",
    "awarding_body",
    "document_number",
    "awarded_on",
    "treatment",
    "confirmation_document",
    "military_merit",
    "evidence",
)


def _apply_identity(registration: Registration, id_number: str | None, phone: str | None):
    errors = {}
    if id_number is not None:
        try:
            id_number = validate_resident_id(id_number)  # the normal form (full-width, spaces)
        except ValidationError as error:
            errors["id_number"] = error.messages
        else:
            registration.set_id_number(id_number)
            registration.birth_date = resident_id_birth_date(id_number)
            registration.gender = registration.gender or resident_id_gender(id_number)
    number = registration.id_number if registration.id_cipher else ""
    if number and "id_number" not in errors:
        # The gender entered (or changed later) against the ID, every time (H-4).
        if registration.gender and registration.gender != resident_id_gender(number):
            errors["gender"] = [_("性别与公民身份号码不一致。")]
    if phone is not None and phone.strip():
        try:
            (validate_mobile if phone.strip().startswith("1") else validate_phone)(phone.strip())
        except ValidationError as error:
            errors["phone"] = error.messages
        else:
            registration.set_phone(phone)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_registration(
    actor, drive: Drive, unit: Unit, *, id_number: str, phone: str = "", honours=(), **fields
) -> Registration:
    """A registration filed by ``unit`` (its own people, or, for a township, the farmers and
    people without a unit of its area: H-2)."""
    require(actor, "registry.add_registration")
    if drive.status != Drive.Status.OPEN:
        raise ValidationError(_("该统计登记工作已结束。"))
    if not in_area(actor, "registry.add_registration", unit):
        raise PermissionDenied(_("只能为本人权限范围内的单位登记。"))
    registration = Registration(
        drive=drive,
        filing_unit=unit,
        division=unit.division,
        route=routing.route_for(unit),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    for key, value in fields.items():
        if key not in PERSON_FIELDS:
            raise TypeError(key)
        setattr(registration, key, value)
    _apply_identity(registration, id_number, phone)
    _classified_as_filed(actor, registration)
    _refuse_another_registrar(registration)
    registration.full_clean(exclude=["id_cipher", "id_hash", "id_masked", "phone_cipher"])
    _refuse_duplicate(actor, registration)
    with audit_context(actor, _("新建登记表")):
        _save_once(actor, registration)
        set_honours(actor, registration, honours, _checked=True)
    return registration


def _refuse_another_registrar(registration: Registration) -> None:
    """H-2, "whoever manages, is responsible": farmers and people without a fixed unit, and the
    people of a non-public enterprise or social organisation without a supervising authority,
    are registered by the township (subdistrict) of their household registration — whose
    initial review they then pass — not by a unit that happens to file them."""
    unit = registration.filing_unit
    if registration.is_farmer_or_no_unit and unit.tier != Unit.Tier.TOWNSHIP:
        raise ValidationError(
            {
                "is_farmer_or_no_unit": _(
                    "农民、无固定单位人员由户籍所在地乡镇（街道）登记（H-2），"
                    "请交由乡镇（街道）填报。"
                )
            }
        )
    if routing.registering_unit(unit, farmer_or_no_unit=False, township=None) is None:
        raise ValidationError(
            _("“%s”无主管部门，其人员由户籍所在地乡镇（街道）登记（H-2）。") % unit.name
        )


def _classified_as_filed(actor, registration: Registration, typed: bool = True) -> None:
    """A person the database holds as classified stays so on every later registration: its
    pages would otherwise name the person to every reviewer (H-6). The registering unit sees its
    form turn 涉密, so each such match is written to the audit trail as a lookup by ID number
    (``privacy.log_id_search``): a unit trying numbers against the classified list shows up."""
    if (
        registration.id_cipher
        and Person.objects.filter(
            id_hash__in=crypto.lookup_hashes(registration.id_number), classified=True
        ).exists()
    ):
        registration.classified = True
        if typed:  # a number typed in, not a later save of the same form
            log_id_search(actor, registration.id_number, 1)


def _refuse_duplicate(actor, registration: Registration) -> None:
    """One registration per ID number and drive (a second honour goes on the first form)."""
    hashes = crypto.lookup_hashes(registration.id_number)
    duplicate = (
        Registration.objects.filter(drive_id=registration.drive_id, id_hash__in=hashes)
        .exclude(state=Registration.State.REJECTED)
        .exclude(pk=registration.pk)
    )
    earlier = duplicate.select_related("filing_unit").first()
    if earlier is not None:
        # Name the unit only to a user who may see that registration (its employer is personal
        # data, of a classified person above all).
        visible = actor is None or Registration.objects.restrict(actor).filter(pk=earlier.pk)
        shown = (visible is True or visible.exists()) and not earlier.classified
        where = f"（{earlier.filing_unit}）" if shown else ""
        raise ValidationError(
            {
                "id_number": _("该身份证号码在本次统计登记中已有登记表%s，请在原登记表上补充荣誉。")
                % where
            }
        )


def _save_once(actor, registration: Registration) -> None:
    """Save; two units saving the same person at the same moment: the second is told so."""
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        _refuse_duplicate(actor, registration)
        raise


def _honour(registration, data: dict) -> RegisteredHonour:
    honour = RegisteredHonour(registration=registration)
    for key, value in data.items():
        if key not in HONOUR_FIELDS:
            raise TypeError(key)
        setattr(honour, key, value)
    honour.full_clean(exclude=["registration"])
    return honour


@transaction.atomic
def set_honours(actor, registration: Registration, honours, *, _checked=False) -> None:
    if not _checked:
        require(actor, "registry.change_registration", registration)
    made = []
    errors = []
    for index, data in enumerate(honours, start=1):
        try:
            made.append(_honour(registration, dict(data)))
        except ValidationError as error:
            errors += [_("第%(n)d项荣誉：%(m)s") % {"n": index, "m": m} for m in error.messages]
    if errors:
        raise ValidationError(errors)
    with audit_context(actor, _("填写荣誉")):
        registration.honours.all().delete()
        for honour in made:
            honour.save()


@transaction.atomic
def update_registration(
    actor, registration: Registration, *, id_number=None, phone=None, **fields
) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    require(actor, "registry.change_registration", registration)
    before, was_classified = registration.id_hash, registration.classified  # as stored
    for key, value in fields.items():
        if key not in PERSON_FIELDS:
            raise TypeError(key)
        setattr(registration, key, value)
    _apply_identity(registration, id_number, phone)
    _classified_as_filed(
        actor, registration, typed=registration.id_hash != before or not was_classified
    )
    _refuse_another_registrar(registration)
    registration.full_clean(exclude=["id_cipher", "id_hash", "id_masked", "phone_cipher"])
    if id_number is not None:
        _refuse_duplicate(actor, registration)
    with audit_context(actor, _("修改登记表")):
        _save_once(actor, registration)
    return registration


@transaction.atomic
def submit_registration(actor, registration: Registration) -> Registration:
    """Draft (or sent back) → the first tier of the route; refused while a scope check fails."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    require(actor, "registry.submit_registration", registration)
    _refuse_another_registrar(registration)
    _refuse_duplicate(actor, registration)
    blocking = [f.message for f in checks.findings(registration) if f.blocking]
    if blocking:
        raise ValidationError(blocking)
    registration.route = routing.route_for(registration.filing_unit)
    with audit_context(actor, _("上报登记表")):
        registration.state = Registration.State.SUBMITTED
        registration.current_tier = registration.route[0]
        registration.round += 1
        registration.submitted_at = timezone.now()
        registration.submitted_by = actor
        registration.save()
    return registration


def _acting_function(actor, registration: Registration, posted: str = "") -> tuple[str, Unit]:
    """The function under which ``actor`` signs at the registration's current tier (a merged
    bureau performing two signs each in turn, as the page names it: ``orgs.signing``)."""
    expected = routing.reviewers(registration)
    answered = set(_opinions(registration).values_list("function", flat=True))
    if actor is None:
        pending = [
            (function, unit)
            for function, unit in expected.items()
            if unit is not None and function not in answered
        ]
        if not pending:
            raise ValidationError(_("本级没有待审核的部门。"))
        return pending[0]
    function = signing_function(functions_of(actor.unit_id, expected), answered, posted)
    if function is None:
        raise PermissionDenied(_("本级审核不由您所在单位负责。"))
    return function, expected[function]


def _opinions(registration: Registration):
    return registration.opinions.filter(round=registration.round, tier=registration.current_tier)


@transaction.atomic
def record_opinion(
    actor,
    registration: Registration,
    *,
    decision: str,
    text: str = "",
    officer_name: str = "",
    decided_on: datetime.date | None = None,
    function: str = "",
    round: int | None = None,  # the round the page showed (the field of the registration)
) -> Registration:
    """A signed-and-sealed opinion at the current tier. When every department of the tier agrees
    the registration moves on; after the province it is filed into the database. ``function``:
    the one the page named (a merged bureau's); ``round``: the round the page showed."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.state != Registration.State.SUBMITTED:
        raise ValidationError(_("该登记表不在审核中。"))
    if round is not None and round != registration.round:
        raise ValidationError(
            _(
                "该登记表已退回修改并重新上报（第%(now)d轮），您打开的页面是第%(seen)d轮的，"
                "请刷新页面阅读后再审核。"
            )
            % {"now": registration.round, "seen": round}
        )
    require(actor, "registry.review_registration", registration)
    function, department = _acting_function(actor, registration, function)
    if _opinions(registration).filter(function=function).exists():
        raise ValidationError(_("本单位已出具本级审核意见。"))
    if decision not in RegistrationOpinion.Decision.values:
        raise ValidationError({"decision": _("请选择审核意见。")})
    if decision != RegistrationOpinion.Decision.AGREE and not text.strip():
        raise ValidationError({"text": _("退回或不予登记须写明理由。")})
    officer = officer_name.strip() or (
        (actor.get_full_name() or actor.get_username()) if actor is not None else _("经办人")
    )
    with audit_context(actor, text or _("审核同意")):
        return _save_opinion(
            actor,
            registration,
            RegistrationOpinion(
                function=function,
                department=department,
                decision=decision,
                text=text.strip(),
                officer_name=officer,
                decided_on=decided_on or timezone.localdate(),
            ),
        )


@transaction.atomic
def record_paper_opinion(
    actor,
    registration: Registration,
    *,
    function: str,
    decision: str,
    text: str,
    officer_name: str,
    decided_on: datetime.date | None,
    scan,
) -> Registration:
    """A reviewing department without an account (a trade-union federation …) gave its opinion
    at the current tier on paper with its seal: the office records the signer, the letter's
    date, the conclusion and the scan. Shown as 纸质意见; it moves the registration like any."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    require(actor, "registry.record_paper_opinion", registration)
    if registration.state != Registration.State.SUBMITTED:
        raise ValidationError(_("该登记表不在审核中。"))
    department = paper_departments(registration).get(function)
    if department is None:
        raise ValidationError(
            {"function": _("本层级没有需要录入纸质意见的该部门（已有账号或已出具意见）。")}
        )
    if decision not in RegistrationOpinion.Decision.values:
        raise ValidationError({"decision": _("请选择审核意见。")})
    if decision != RegistrationOpinion.Decision.AGREE and not text.strip():
        raise ValidationError({"text": _("退回或不予登记须写明理由。")})
    if not officer_name.strip():
        raise ValidationError({"officer_name": _("请填写签发人姓名。")})
    submitted = registration.submitted_at
    decided_on = validate_opinion_date(
        decided_on,
        earliest=timezone.localdate(submitted) if submitted else None,
        earliest_label=_("上报日期"),
        on_paper=True,
    )
    path, content_type, _size = store_document(scan, "opinions", field="scan")
    with audit_context(actor, _("录入纸质审核意见（%s）") % department):
        return _save_opinion(
            actor,
            registration,
            RegistrationOpinion(
                function=function,
                department=department,
                decision=decision,
                text=text.strip(),
                officer_name=officer_name.strip(),
                decided_on=decided_on,
                on_paper=True,
                scan_file=path,
                scan_type=content_type,
            ),
        )


def paper_departments(registration: Registration) -> dict:
    """The departments of the current tier without an account that have not answered yet."""
    if registration.state != Registration.State.SUBMITTED:
        return {}
    answered = set(_opinions(registration).values_list("function", flat=True))
    return {
        function: unit
        for function, unit in routing.reviewers(registration).items()
        if unit is not None
        and function not in answered
        and not signs_registrations_in_laurel(unit.pk)
    }


def _save_opinion(actor, registration: Registration, opinion: RegistrationOpinion):
    """Save one opinion of the current tier and move the registration: back, out, up a tier
    or, after the province, into the database."""
    opinion.registration = registration
    opinion.round = registration.round
    opinion.tier = registration.current_tier
    opinion.decided_by = actor if actor is not None and actor.is_authenticated else None
    opinion.save()
    decision = opinion.decision
    if decision == RegistrationOpinion.Decision.SEND_BACK:
        registration.state = Registration.State.SENT_BACK
        registration.current_tier = ""
        registration.save()
        return registration
    if decision == RegistrationOpinion.Decision.REJECT:
        registration.state = Registration.State.REJECTED
        registration.save()
        return registration
    agreed = set(_opinions(registration).values_list("function", flat=True))
    if set(routing.reviewers(registration)) - agreed:
        return registration  # another department of this tier still has to sign
    route = registration.route
    index = route.index(registration.current_tier)
    if index + 1 < len(route):
        registration.current_tier = route[index + 1]
        registration.save()
        return registration
    _file(registration)
    return registration


def _file(registration: Registration) -> Person:
    """Filed (备案): the person and the honours enter the provincial database; one person per
    ID number — a second registration adds its honours to the same person and brings its unit
    and contact up to date, but never raises the dead (H-1: shown to the reviewers by
    ``checks.filed_person_findings``, refused here) nor lowers a classification (H-6: the
    office's decision, not a unit's form)."""
    person = Person.objects.filter(id_hash=registration.id_hash).first() or Person(
        id_cipher=registration.id_cipher,
        id_hash=registration.id_hash,
        id_masked=registration.id_masked,
    )
    person.name = registration.name
    person.gender = registration.gender
    person.ethnicity = registration.ethnicity
    person.birth_date = registration.birth_date
    person.unit = registration.filing_unit
    person.unit_name = registration.unit_name
    person.position = registration.position
    person.household_division = registration.household_division
    person.division = registration.division
    person.retired = registration.retired
    if person.pk is not None and not person.living:
        raise ValidationError(
            _("该人员在省级数据库中已登记为去世，不能备案；如登记有误，请由省级办公室更正。")
        )
    revoked = checks.revoked_titles(person, list(registration.honours.all()))
    if revoked:
        raise ValidationError(
            _(
                "该人员的“%s”在省级数据库中已撤销，不能再备案为保持荣誉；"
                "如撤销有误，请由省级办公室更正。"
            )
            % "、".join(revoked)
        )
    person.living = registration.living
    person.classified = person.classified or registration.classified
    if registration.phone_cipher:
        person.phone_cipher, person.phone_masked = (
            registration.phone_cipher,
            registration.phone_masked,
        )
    person.filed_at = timezone.now()
    person.save()
    for stated in registration.honours.all():
        Honour.objects.update_or_create(
            person=person,
            title=stated.title,
            awarded_on=stated.awarded_on,
            defaults={
                "level": KIND_LEVEL[stated.kind],
                "kind": stated.kind,
                "honour_type": stated.honour_type,
                "awarding_body": stated.awarding_body,
                "document_number": stated.document_number,
                "treatment": stated.treatment,
                "confirmation_document": stated.confirmation_document,
                "military_merit": stated.military_merit,
            },
        )
    registration.person = person
    registration.state = Registration.State.FILED
    registration.current_tier = ""
    registration.save()
    transaction.on_commit(_queue_statistics)
    return person


def _queue_statistics() -> None:
    refresh_statistics.enqueue()


@transaction.atomic
def close_drive(actor, drive: Drive, reason: str) -> Drive:
    """End a drive (H-5): no new registration, no edit and no submission after it; what is
    already under review is reviewed to its end."""
    require(actor, "registry.manage_drives")
    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    if drive.status == Drive.Status.CLOSED:
        raise ValidationError(_("该统计登记工作已结束。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明结束的依据（如已按期完成省级备案）。")})
    with audit_context(actor, reason.strip()):
        drive.status = Drive.Status.CLOSED
        drive.save()
    return drive


@transaction.atomic
def open_drive(actor, **fields) -> Drive:
    require(actor, "registry.manage_drives")
    drive = Drive(**fields)
    drive.full_clean()
    order = [drive.provincial_units_due, drive.counties_due, drive.cities_due, drive.province_due]
    if order != sorted(order):
        raise ValidationError(
            _("各层级截止日期应依次为：省直单位、县级、市级和驻省中直单位、省级（H-5）。")
        )
    with audit_context(actor, _("开展统计登记工作")):
        drive.save()
    return drive


@transaction.atomic
def submit_contact(actor, drive: Drive, unit: Unit, **fields):
    """附件5: a unit's responsible person and contact for the drive (replaces an earlier one)."""

    require(actor, "registry.submit_contact", drive)
    if not in_area(actor, "registry.add_registration", unit):
        raise PermissionDenied(_("只能报送本单位的联系表。"))
    contact = DriveContact.objects.filter(drive=drive, unit=unit).first() or DriveContact(
        drive=drive, unit=unit
    )
    for key, value in fields.items():
        setattr(contact, key, value)
    contact.full_clean()
    with audit_context(actor, _("报送负责人员联系表")):
        contact.save()
    return contact


@transaction.atomic
def import_people(actor, drive, unit, people) -> list[Registration]:
    """Registrations from the parsed rows of a summary sheet (``interfaces.spreadsheets.parse``),
    all or nothing: a service error on any person rolls back the whole import."""
    made = []
    for person in people:
        try:
            made.append(
                create_registration(
                    actor,
                    drive,
                    unit,
                    id_number=person.id_number,
                    phone=person.phone,
                    honours=person.honours,
                    **person.fields,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                [
                    _("第%(rows)s行：%(m)s") % {"rows": "、".join(map(str, person.rows)), "m": m}
                    for m in error.messages
                ]
            ) from None
    return made


DATABASE_COLUMNS = [
    "姓名",
    "性别",
    "身份证号码",
    "工作单位",
    "所属地区",
    "荣誉称号",
    "级别",
    "类别",
    "授予机关",
    "授予时间",
    "表彰文号",
    "状态",
]
