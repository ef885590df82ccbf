"""H-1 / H-6 scope checks on a registration: each rule a named function. Blocking findings keep
a registration from being submitted or filed ("严禁扩大统计范围")."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import SimpleNamespace

from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core import crypto
from laurel.core.findings import BLOCKING, WARNING, Finding
from laurel.core.models import Division
from laurel.registry.models import (
    Honour,
    HonourType,
    Kind,
    MilitaryMerit,
    Person,
    RegistrationOpinion,
)

CHECKS: list[Callable] = []
NATIONAL_CUTOFF = datetime.date(2018, 1, 1)
MINISTRY_CUTOFF = datetime.date(1995, 1, 1)


def check(function: Callable) -> Callable:
    CHECKS.append(function)
    return function


def _blocking(code, message) -> Finding:
    return Finding(code, code.split("_")[0].upper().replace("H", "H-"), BLOCKING, message)


@check
def h1_living_and_keeps_the_honour(registration, honours):
    if not registration.living:
        return [_blocking("h1_living", _("已故人员不在统计登记范围（H-1：健在并保持荣誉）。"))]
    return []


@check
def h1_not_active_military(registration, honours):
    if registration.active_military:
        return [_blocking("h1_military", _("现役军人不在统计登记范围（H-1）。"))]
    return []


@check
def h1_personnel_file(registration, honours):
    if not registration.has_personnel_file:
        return [
            _blocking(
                "h1_records",
                _("须有人事档案记录，或能够通过相关资料查证核实（H-1）。"),
            )
        ]
    return []


@check
def h6_at_least_one_honour_in_scope(registration, honours):
    if not honours:
        return [
            _blocking("h6_no_honour", _("请至少填写一项属于统计范围的表彰（H-6：不扩大范围）。"))
        ]
    return []


# H-3: titles whose type the form cannot leave to the registrar — the type decides who reviews,
# so a model worker typed "other" would pass the trade union by (first match wins).
TITLE_TYPES = (
    ("人民满意的公务员", HonourType.CIVIL_SERVANT),
    ("劳动模范", HonourType.MODEL_WORKER),
    ("先进工作者", HonourType.MODEL_WORKER),
    ("优秀共产党员", HonourType.PARTY),
    ("优秀党务工作者", HonourType.PARTY),
)


# H-3 names the national and Jilin 劳动模范（先进工作者）, 优秀共产党员 and "人民满意的公务员":
# the national kinds and the provincial committee's/government's. A ministry's or a system's
# 先进工作者 (H-1's ministry kinds) and a veteran's title are "other honours", HR leading.
TYPED_KINDS = frozenset({Kind.NATIONAL_MODEL_WORKER, Kind.NATIONAL_HONOREE, Kind.PROVINCIAL})


def title_type(title: str, kind: str) -> str | None:
    """The honour type a title of ``kind`` names (H-3), or None where it does not say. A title
    of the nation or the province (全国…, 吉林省…) that is not a system's names its type under
    any kind: choosing a ministry's kind does not take a provincial 劳动模范 past the union."""
    title = (title or "").strip()
    if kind not in TYPED_KINDS and (
        "系统" in title or not title.startswith(("全国", _province_name()))
    ):
        return None
    return next((typed for word, typed in TITLE_TYPES if word in title), None)


def _province_name() -> str:
    """The province of the reference data (吉林省), whose titles H-3 names."""
    province = Division.objects.filter(level=Division.Level.PROVINCE).only("name").first()
    return province.name if province else "吉林省"


@check
def h3_type_follows_the_title(registration, honours):
    """The type of an honour decides its reviewers (H-3): a title that names its type is
    registered as that type."""
    labels = dict(HonourType.choices)
    found = []
    for honour in honours:
        expected = title_type(honour.title, honour.kind)
        if expected is not None and honour.honour_type != expected:
            found.append(
                _blocking(
                    "h3_type_title",
                    _(
                        "%(row)s：该称号属于“%(type)s”，表彰类型须选此项（H-3：按类型确定审核部门）。"
                    )
                    % {"row": _row(honour), "type": labels[expected]},
                )
            )
    return found


def _row(honour) -> str:
    """How a finding names an honour: its title and month, or — on a classified person's
    registration, whose table hides the dates (H-6) — its title and place in the table."""
    label = getattr(honour, "finding_label", "")
    return label or f"“{honour.title}”（{honour.awarded_on:%Y.%m}）"


@check
def h1_national_kinds_by_date(registration, honours):
    found = []
    for honour in honours:
        if honour.kind == Kind.NATIONAL_MODEL_WORKER and honour.awarded_on >= NATIONAL_CUTOFF:
            found.append(
                _blocking(
                    "h1_national_date",
                    _("%s：2018年以后的国家级表彰应按“明确享受国家级表彰奖励获得者待遇”登记。")
                    % _row(honour),
                )
            )
        if honour.kind == Kind.NATIONAL_HONOREE and honour.awarded_on < NATIONAL_CUTOFF:
            found.append(
                _blocking(
                    "h1_national_date",
                    _("%s：2018年以前的国家级表彰须明确享受全国劳动模范（先进工作者）待遇。")
                    % _row(honour),
                )
            )
    return found


@check
def h1_treatment_stated(registration, honours):
    """Every kind except veterans needs the treatment stated in the commendation document."""
    return [
        _blocking(
            "h1_treatment",
            _("%s：请填写表彰文件中明确的待遇（如“享受省级劳动模范待遇”）。") % _row(honour),
        )
        for honour in honours
        if honour.kind != Kind.VETERAN and not (honour.treatment or "").strip()
    ]


@check
def h1_ministry_before_1995_confirmed(registration, honours):
    found = []
    for honour in honours:
        if honour.kind != Kind.MINISTRY_PRE_1995:
            continue
        if honour.awarded_on >= MINISTRY_CUTOFF:
            found.append(
                _blocking(
                    "h1_ministry_date",
                    _("%s：1995年1月1日（含）以后的部委表彰应按“经人社部批准”登记。")
                    % _row(honour),
                )
            )
        elif not honour.confirmation_document.strip():
            found.append(
                _blocking(
                    "h1_ministry_confirmation",
                    _(
                        "%s：1995年以前的部委表彰须有原国家人事部确认称号奖励升级或享受省部级待遇的文件。"
                    )
                    % _row(honour),
                )
            )
    return found


@check
def h1_ministry_from_1995_approved(registration, honours):
    found = []
    for honour in honours:
        if honour.kind != Kind.MINISTRY_FROM_1995:
            continue
        if honour.awarded_on < MINISTRY_CUTOFF:
            found.append(
                _blocking(
                    "h1_ministry_date",
                    _("%s：1995年以前的部委表彰应按“经原人事部确认”登记。") % _row(honour),
                )
            )
        elif not honour.confirmation_document.strip():
            found.append(
                _blocking(
                    "h1_ministry_approval",
                    _("%s：须填写人力资源和社会保障部（原人事部）批准授予称号的文号。")
                    % _row(honour),
                )
            )
    return found


@check
def h1_veterans_merit(registration, honours):
    return [
        _blocking(
            "h1_veteran",
            _(
                "%s：退役军人须在服役期间立一等功，或被中央军委授权大单位、中央军委机关部门授予荣誉称号。"
            )
            % _row(honour),
        )
        for honour in honours
        if honour.kind == Kind.VETERAN
        and honour.military_merit not in (MilitaryMerit.FIRST_CLASS, MilitaryMerit.HONORARY_TITLE)
    ]


@check
def h1_provincial_awarding_body(registration, honours):
    return [
        Finding(
            "h1_provincial_body",
            "H-1",
            WARNING,
            _("%s：省级表彰应由省委、省政府单独或联合授予，请核对授予机关。") % _row(honour),
        )
        for honour in honours
        if honour.kind == Kind.PROVINCIAL
        and not any(word in honour.awarding_body for word in ("省委", "省人民政府", "省政府"))
    ]


def _filed_person(registration):
    """The person the provincial database already holds under the registration's ID number."""
    if not registration.id_cipher:
        return None
    return (
        Person.objects.filter(id_hash__in=crypto.lookup_hashes(registration.id_number))
        .only("name", "living")
        .first()
    )


def revoked_titles(person, honours, *, same_year: bool = True) -> list[str]:
    """Of the stated ``honours``, the titles the database holds as revoked for ``person`` (C-11)
    in the same year (or undated): such an honour is not kept, so it is not filed again as held
    (H-1 "保持荣誉"), whatever day it is dated. ``same_year=False``: the same title revoked in
    another year — a repeat award, perhaps, which the reviewers read."""
    if person is None or person.pk is None:
        return []
    revoked = list(
        person.honours.filter(status=Honour.Status.REVOKED).values_list("title", "awarded_on")
    )
    found = set()
    for honour in honours:
        for title, awarded_on in revoked:
            if title.strip() != honour.title.strip():
                continue
            close = None in (awarded_on, honour.awarded_on) or (
                awarded_on.year == honour.awarded_on.year
            )
            if close == same_year:
                found.add(title)
    return sorted(found)


def _earlier_refusals(registration) -> list:
    """Opinions of 不予登记 on other registrations of the same ID number (an earlier drive, or
    one refused and entered again): the reviewers read why before they sign (H-6)."""
    if not registration.id_cipher:
        return []
    return list(
        RegistrationOpinion.objects.filter(
            registration__id_hash__in=crypto.lookup_hashes(registration.id_number),
            decision=RegistrationOpinion.Decision.REJECT,
        )
        .exclude(registration=registration)
        .select_related("department", "registration__drive")
        .order_by("pk")
    )


def filed_person_findings(registration) -> list[Finding]:
    """For the reviewers and the office only (not a check the registering unit sees, which
    would tell any registrar, unlogged, whom the database holds): a person the database holds
    as deceased is not filed again as living (``services.registrations._file`` refuses it; a
    death recorded in error is corrected by the office), and another name is to be checked."""
    person = _filed_person(registration)
    found = []
    if person is not None and not person.living:
        found.append(
            _blocking(
                "h1_filed_deceased",
                _(
                    "该身份证号码的人员在省级数据库中已登记为去世，不在统计登记范围（H-1）；"
                    "如登记有误，请联系省级表彰工作办公室更正。"
                ),
            )
        )
    if person is not None:
        stated = list(registration.honours.all())
        for title in revoked_titles(person, stated, same_year=False):
            found.append(
                Finding(
                    "h1_filed_revoked_before",
                    "H-1",
                    WARNING,
                    _("该人员的“%s”曾在另一年度被撤销，请核实本项是否为另一次授予。") % title,
                )
            )
        for title in revoked_titles(person, stated):
            found.append(
                _blocking(
                    "h1_filed_revoked",
                    _(
                        "该人员的“%s”在省级数据库中已撤销（C-11），不能再登记为保持荣誉（H-1）；"
                        "如撤销有误，请联系省级表彰工作办公室更正。"
                    )
                    % title,
                )
            )
    for opinion in _earlier_refusals(registration):
        found.append(
            Finding(
                "h6_refused_before",
                "H-6",
                WARNING,
                _("该身份证号码的登记表曾被%(department)s不予登记（%(drive)s）：%(text)s")
                % {
                    "department": opinion.department or _("审核部门"),
                    "drive": opinion.registration.drive.name,
                    "text": opinion.text,
                },
            )
        )
    if person is not None and person.living and person.name != registration.name:
        found.append(
            Finding(
                "h6_filed_name",
                "H-6",
                WARNING,
                _("该身份证号码已在省级数据库中备案，但姓名与本表不一致，请核实后再审核。"),
            )
        )
    return found


@check
def h1_awarded_on_a_real_day(registration, honours):
    """An honour is awarded on a day that has come, and not before its holder was born."""
    today = timezone.localdate()
    birth = registration.birth_date
    found = []
    for honour in honours:
        if honour.awarded_on is None:
            continue
        if honour.awarded_on > today:
            found.append(_blocking("h1_awarded_future", _("%s：授予时间晚于今天。") % _row(honour)))
        elif birth is not None and honour.awarded_on < birth:
            found.append(
                _blocking("h1_awarded_before_birth", _("%s：授予时间早于出生日期。") % _row(honour))
            )
    return found


@check
def h6_classified_is_desensitised(registration, honours):
    if registration.classified and (registration.position or "").strip():
        return [
            Finding(
                "h6_classified",
                "H-6",
                WARNING,
                _("涉密人员须脱密处理后登记：职务等涉密信息请不要填写具体内容。"),
            )
        ]
    return []


def honour_findings(honour: dict, birth_date) -> list[tuple[str, str]]:
    """The blocking checks of one honour outside a registration (the office's bulk import, a
    row at a time): (code, message) of each. The person-level checks pass by construction (an
    import files the living with records, as a registration's reviewers confirmed)."""
    person = SimpleNamespace(
        living=True,
        active_military=False,
        has_personnel_file=True,
        birth_date=birth_date,
        classified=False,
        position="",
    )
    return [
        (finding.code, finding.message)
        for finding in findings(person, [SimpleNamespace(**honour)])
        if finding.blocking
    ]


def findings(registration, honours=None) -> list[Finding]:
    honours = list(registration.honours.all()) if honours is None else honours
    if registration.classified:
        for index, honour in enumerate(honours, start=1):
            honour.finding_label = _("第%(index)d项表彰“%(title)s”") % {
                "index": index,
                "title": honour.title,
            }
    out = []
    for function in CHECKS:
        out += function(registration, honours)
    return out
