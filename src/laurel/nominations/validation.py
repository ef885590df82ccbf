"""Whether a nominee's form is complete and consistent enough to submit (C-13, C-14).

Field formats (ID number, phones, 籍贯, enumerations) are checked by the model fields on every
save; these checks look at the whole record. Each problem names the field by its label."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.text import count_chars, format_year_month, month_after
from laurel.core.validators import resident_id_mismatches

TEMPORARY_SUFFIX = "（临时集体）"

COLLECTIVE_REQUIRED = (
    "name",
    "collective_type",
    "admin_level",
    "member_count",
    "unit_division",
    "leader_name",
    "leader_unit_position",
    "leader_phone",
    "parent_unit_name",
    "parent_unit_phone",
    "address",
    "profile",
    "deeds",
)
INDIVIDUAL_REQUIRED = (
    "name",
    "gender",
    "ethnicity",
    "native_place",
    "birth_date",
    "political_status",
    "education",
    "work_start",
    "id_number",
    "staffing_type",
    "position_rank",
    "work_unit_name",
    "unit_affiliation",
    "unit_nature",
    "unit_division",
    "unit_address",
    "unit_phone",
    "mobile",
    "admin_level",
    "field_work_since",
    "deeds",
)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self):
        return self.message


def _label(nominee, field: str) -> str:
    if field == "unit_division" and not nominee.is_individual:
        return str(_("所在行政区划"))
    return str(type(nominee)._meta.get_field(field).verbose_name)


def text_problems(nominee) -> list[Problem]:
    campaign = nominee.campaign
    problems = []
    for field, limit in (
        ("profile", campaign.profile_max_chars),
        ("deeds", campaign.deeds_max_chars),
    ):
        count = count_chars(getattr(nominee, field))
        if count > limit:
            problems.append(
                Problem(
                    field,
                    _("%(label)s共%(count)d字，超过%(limit)d字的上限（不计空格和换行）。")
                    % {"label": _label(nominee, field), "count": count, "limit": limit},
                )
            )
    return problems


def resume_problems(entries, today: datetime.date | None = None) -> list[Problem]:
    """The résumé runs from its first entry to today by month, without a gap or an overlap.
    Consecutive entries may share their boundary month (2010.03—2015.06, 2015.06—至今)."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    entries = sorted(entries, key=lambda e: (e.start, e.end or datetime.date.max))
    if not entries:
        return [Problem("resume", _("请填写个人简历（从学徒或高中毕业填起，精确到月）。"))]
    problems = []
    for entry in entries:
        if entry.end and entry.end < entry.start:
            problems.append(
                Problem(
                    "resume", _("简历“%(text)s”的截止年月早于起始年月。") % {"text": entry.text}
                )
            )
        if entry.start > this_month:
            problems.append(
                Problem("resume", _("简历“%(text)s”的起始年月晚于本月。") % {"text": entry.text})
            )
    for previous, current in itertools.pairwise(entries):
        if previous.end is None:
            problems.append(
                Problem(
                    "resume",
                    _("简历中“%(text)s”写作“至今”，但其后还有经历。") % {"text": previous.text},
                )
            )
            continue
        if current.start > month_after(previous.end):
            gap_from = month_after(previous.end)
            gap_to = month_after(current.start, -1)
            if gap_from == gap_to:
                message = _("简历断档：%(month)s没有经历。") % {
                    "month": format_year_month(gap_from)
                }
            else:
                message = _("简历断档：%(start)s至%(end)s没有经历。") % {
                    "start": format_year_month(gap_from),
                    "end": format_year_month(gap_to),
                }
            problems.append(Problem("resume", message))
        elif current.start < previous.end:
            problems.append(
                Problem(
                    "resume",
                    _("简历重叠：“%(a)s”与“%(b)s”在%(start)s至%(end)s期间重叠。")
                    % {
                        "a": previous.text,
                        "b": current.text,
                        "start": format_year_month(current.start),
                        "end": format_year_month(min(previous.end, current.end or previous.end)),
                    },
                )
            )
    last = entries[-1]
    if last.end is not None and last.end < this_month:
        problems.append(
            Problem(
                "resume",
                _("简历须写到当前（最后一段截止于%(end)s，其后断档至今）。")
                % {"end": format_year_month(last.end)},
            )
        )
    return problems


def completeness_problems(nominee) -> list[Problem]:
    """Everything that stops a nominee from being submitted, in form order."""
    problems = []
    required = INDIVIDUAL_REQUIRED if nominee.is_individual else COLLECTIVE_REQUIRED
    for field in required:
        value = getattr(nominee, field if field != "unit_division" else "unit_division_id")
        if value in (None, ""):
            problems.append(Problem(field, _("请填写“%s”。") % _label(nominee, field)))
    problems += text_problems(nominee)
    if nominee.unit_division_id and nominee.unit_division.level != "county":
        label = _("所在行政区划") if not nominee.is_individual else _label(nominee, "unit_division")
        problems.append(Problem("unit_division", _("“%s”须精确到县（市、区）。") % label))
    if nominee.is_individual:
        if nominee.id_number:
            try:
                mismatches = resident_id_mismatches(
                    nominee.id_number, nominee.birth_date, nominee.gender or None
                )
            except Exception as error:  # an invalid number is reported by the field itself
                mismatches = list(getattr(error, "messages", [str(error)]))
            problems += [Problem("id_number", message) for message in mismatches]
        if nominee.work_start and nominee.birth_date and nominee.work_start < nominee.birth_date:
            problems.append(Problem("work_start", _("参加工作时间早于出生日期。")))
        if not nominee.photo:
            problems.append(Problem("photo", _("请上传近期2寸正面免冠蓝底彩色照片。")))
        problems += resume_problems(list(nominee.resume.all()))
    else:
        if nominee.is_temporary and not nominee.name.endswith(TEMPORARY_SUFFIX):
            problems.append(Problem("name", _("临时集体须在集体名称后标注“（临时集体）”。")))
        if not nominee.is_temporary and nominee.name.endswith(TEMPORARY_SUFFIX):
            problems.append(
                Problem("is_temporary", _("名称标注了“（临时集体）”，请勾选“临时集体”。"))
            )
        if nominee.collective_type == "enterprise" and not nominee.ownership:
            problems.append(Problem("ownership", _("企业集体须选择所有制类型。")))
    for record in nominee.records.all():
        if record.kind == "award" and record.level == "below":
            problems.append(
                Problem(
                    "records",
                    _("“%(text)s”：奖励只填地市级及以上（附件3填表说明第五条）。")
                    % {"text": record.text},
                )
            )
    return problems
