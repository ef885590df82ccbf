"""登记表: the registration form, designed from H-1 … H-6 (the notice's 附件2 is not in the
seed), rendered by the documents app."""

from __future__ import annotations

from laurel.core.models import CodeItem, Division
from laurel.documents.layout import Cell, Document, Para, Row, Table
from laurel.documents.official import cn_date, opinion_box
from laurel.registry import privacy
from laurel.registry.models import RegistrationOpinion
from laurel.registry.services.privacy import unmask


def _province() -> str:
    """The province the registry belongs to (the root of the divisions: 吉林省 in the seed)."""
    root = Division.objects.filter(level=Division.Level.PROVINCE).order_by("code").first()
    return root.name if root else ""


def registration_form(registration, user) -> Document:
    seen = privacy.shown(user, registration, unmasked=False)
    if user.has_perm("registry.view_personal_data", registration) and not seen.desensitised:
        seen = unmask(user, registration, reason="打印登记表")
    ethnicity = dict(CodeItem.objects.of("ethnicity").values_list("code", "name")).get(
        registration.ethnicity, ""
    )
    hidden = seen.desensitised  # a classified person: nothing that narrows them down
    birth = registration.birth_date
    birth_text = (
        ""
        if hidden or birth is None
        else birth.isoformat()
        if seen.full
        else f"{birth.year}.{birth.month:02d}"  # with the day, the masked ID is the whole ID
    )
    doc = Document(key=f"registration-{registration.pk}", title=f"登记表：{seen.name}")
    doc.add(
        Para("附件2", "attachment"),
        Para(f"{_province()}享受省部级以上表彰奖励获得者待遇人员登记表", "title"),
        Para(
            f"登记单位（盖章）：{privacy.HIDDEN if hidden else registration.filing_unit.name}"
            f"    填表日期：{cn_date(None)}"
        ),
    )
    label = lambda text: Cell(text, label=True)  # noqa: E731
    yes_no = lambda value: "是" if value else "否"  # noqa: E731
    rows = [
        Row(
            [
                label("姓名"),
                Cell(seen.name),
                label("性别"),
                Cell("" if hidden else registration.get_gender_display()),
                label("民族"),
                Cell("" if hidden else ethnicity),
            ],
            1.0,
        ),
        Row(
            [
                label("身份证号码"),
                Cell(seen.id_number, span=3),
                label("出生日期"),
                Cell(birth_text),
            ],
            1.0,
        ),
        Row(
            [label("工作单位"), Cell(seen.unit_name, span=3), label("职务"), Cell(seen.position)],
            1.0,
        ),
        Row(
            [
                label("户籍所在地"),
                Cell(
                    registration.household_division.full_name
                    if registration.household_division and not hidden
                    else "",
                    span=3,
                ),
                label("联系电话"),
                Cell(seen.phone),
            ],
            1.0,
        ),
        Row(
            [
                label("是否离退休"),
                Cell(yes_no(registration.retired)),
                label("是否健在"),
                Cell(yes_no(registration.living)),
                label("是否涉密"),
                Cell(yes_no(registration.classified)),
            ],
            1.0,
        ),
    ]
    rows.append(
        Row(
            [
                label("荣誉称号"),
                label("统计类别"),
                label("授予机关"),
                label("授予时间"),
                label("表彰文号"),
                label("文件明确的待遇"),
            ]
        )
    )
    for honour in registration.honours.all():
        rows.append(
            Row(
                [
                    Cell(honour.title),
                    Cell(str(honour.get_kind_display())),
                    Cell("" if hidden else honour.awarding_body),
                    Cell("" if hidden else honour.awarded_on.isoformat()),
                    Cell("" if hidden else honour.document_number),
                    Cell(honour.treatment or honour.get_military_merit_display()),
                ],
                1.2,
            )
        )
    opinions = {}
    # A send-back asks the unit for changes; it is not the tier's opinion on the form, whose
    # box stays blank for the opinion still to come.
    current = registration.opinions.filter(round=registration.round).exclude(
        decision=RegistrationOpinion.Decision.SEND_BACK
    )
    for opinion in current.select_related("department"):
        opinions.setdefault(opinion.tier, []).append(
            opinion_box(
                opinion.text or opinion.get_decision_display(),
                opinion.decided_on,
                # the supervising unit names the employer of a classified person (H-6)
                privacy.HIDDEN
                if hidden and opinion.tier == "supervisor"
                else opinion.department.name,
                opinion.officer_name,
                opinion.on_paper,
            )
        )
    tiers = dict(registration.Tier.choices)
    for tier in ("supervisor", "county", "city", "province"):
        applies = tier in registration.route
        text = "\n".join(opinions.get(tier, [])) or (
            "\n签字：        盖  章\n年    月    日" if applies else ""
        )
        rows.append(Row([label(f"{tiers[tier]}意见"), Cell(text, span=5)], 2.6))
    doc.add(Table([2.6, 2.6, 2.6, 2.6, 2.6, 2.8], rows))
    doc.add(
        Para(
            "注：1.统计范围为健在并保持荣誉、有人事档案记录或能够查证核实的人员，不含现役军人。",
            "note",
        ),
        Para(
            "2.按“谁管理、谁负责”填报；农民、无固定单位人员等由户籍所在地乡镇（街道）填报。",
            "note",
        ),
        Para("3.严禁扩大统计范围；涉密人员按规定脱密处理后填报。", "note"),
    )
    return doc
