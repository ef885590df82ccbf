"""The official forms of a campaign (附件2–附件6), filled from the data.

Titles, labels, row order, merged cells and notes follow the seed forms; the campaign supplies
the title on the forms (``AwardCategory.title_on_forms``) and the reviewing departments
(``Campaign.review_functions``). Review rows carry the recorded opinions (opinion, name, date
— marked as given online or on paper —
and a seal box left empty for the department to stamp — Laurel never prints that a seal was set
or an opinion given that nobody recorded, issue 21); rows of tiers that do not apply to the
nominee stay blank."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone

from laurel.campaigns.clearance import SECTOR_AUTHORITY
from laurel.core.models import CodeNames
from laurel.core.text import chinese_ordinal
from laurel.documents.layout import Cell, Document, PageBreak, Para, Row, Table
from laurel.nominations.interfaces.spreadsheets import NOTES
from laurel.nominations.models import ClearanceRequest, Nominee
from laurel.nominations.queries import admin_level_text, personal_data, summary_row
from laurel.nominations.services.review import tiers_for
from laurel.orgs.models import UnitFunction

F = UnitFunction.Function
SHORT_NAMES = {
    F.HR_SOCIAL_SECURITY: "人社",
    F.HOUSING: "住建",
    F.ORGANIZATION: "组织",
    F.TRADE_UNION: "工会",
    F.CIVIL_AFFAIRS: "民政",
}
TIER_NAMES = {"county": "县（市、区）", "city": "市（州）", "province": "省"}
SEAL = "盖  章"
BLANK_DATE = "年    月    日"


def cn_date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else BLANK_DATE


def ym(day: datetime.date | None) -> str:
    return f"{day.year}.{day.month:02d}" if day else ""


Codes = CodeNames  # the name the forms below were written with


_level = admin_level_text


def _division(division) -> str:
    return division.full_name if division is not None else ""


def _records(nominee, kind) -> str:
    rows = [r for r in nominee.records.all() if r.kind == kind]
    if not rows:
        return "无"
    return "\n".join(f"{ym(r.date)} {r.issuer} {r.text}" for r in rows)


def _resume(nominee) -> str:
    return "\n".join(
        f"{ym(e.start)}—{ym(e.end) if e.end else '至今'}  {e.text}" for e in nominee.resume.all()
    )


def _photo(nominee) -> bytes | None:
    if not nominee.photo:
        return None
    try:
        with default_storage.open(nominee.photo, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _short(function: str) -> str:
    return SHORT_NAMES.get(function) or str(F(function).label)


def _clearance_label(function: str, requests) -> str:
    """A row of 附件4 for a department its fixed rows do not name: a unit function's short
    name, or the name the request gives (a department the plan declares of its own)."""
    if function in F.values:
        return f"{_short(function)}部门意见"
    return f"{requests[0].function_label}意见"


def review_label(campaign, tier: str) -> str:
    functions = campaign.review_functions or [F.HR_SOCIAL_SECURITY, F.HOUSING]
    return f"{TIER_NAMES[tier]}{'、'.join(_short(f) for f in functions)}部门审核意见"


ONLINE = "（网上审核意见）"
PAPER = "（纸质意见，盖章原件存档）"


def opinion_box(text: str, day, department: str, signer: str, on_paper: bool) -> str:
    """One recorded opinion as printed in its box: what was decided and when, by whom — given
    online (the seal box left for the department's stamp) or on paper (the sealed original
    kept on file). Never "已盖章": Laurel cannot know a seal it did not see."""
    if on_paper:
        return f"{PAPER}{text}\n{department}  签发人：{signer}\n{cn_date(day)}"
    return f"{ONLINE}{text}  {cn_date(day)}\n{department}  经办人：{signer}\n\n{SEAL}"


def blank_box(seals: int = 1) -> str:
    """The seed's empty seal box(es), to be filled and stamped on paper."""
    if seals == 2:
        return f"\n\n{SEAL}           {SEAL}\n{BLANK_DATE}    {BLANK_DATE}"
    return f"\n\n{SEAL}\n{BLANK_DATE}"


def review_text(nominee, tier: str, applies: bool) -> str:
    """The review row of one tier: every department's recorded opinion, or the blanks to be
    signed on paper when the tier applies and has not reviewed yet; nothing when it does not."""
    if not applies:
        return ""
    functions = nominee.campaign.review_functions or [F.HR_SOCIAL_SECURITY, F.HOUSING]
    # Only this round's opinions: a nominee sent back (or withdrawn to a draft) is reviewed
    # again from the start, perhaps as another person, so an earlier round's 同意 is nobody's
    # opinion of what this form now holds; until it is submitted again the boxes are blank.
    current = None if nominee.is_editable else nominee.review_round
    opinions = {
        o.function: o
        for o in sorted(
            (o for o in nominee.review_opinions.all() if o.tier == tier and o.round == current),
            key=lambda o: o.pk,
        )
    }
    blocks = []
    for function in functions:
        opinion = opinions.get(function)
        if opinion is None:
            blocks.append(f"{_short(function)}部门：\n\n{SEAL}    {BLANK_DATE}")
            continue
        text = opinion.text or opinion.get_decision_display()
        blocks.append(
            f"{_short(function)}部门："
            + opinion_box(
                text,
                opinion.decided_on,
                opinion.department.name,
                opinion.officer_name,
                opinion.on_paper,
            )
        )
    return "\n\n".join(blocks)


def _unit_opinion(nominee) -> str:
    """The nominating unit's box: its opinion is written and stamped on paper. Laurel records
    only that the unit submitted online, and says so when the unit's own account did (not when
    its nominating body submitted for it); it writes no opinion for the unit."""
    if nominee.submitted_at and nominee.submitted_by_unit_id == nominee.nominating_unit_id:
        day = timezone.localtime(nominee.submitted_at).date()
        return f"（{nominee.nominating_unit.name}已于{cn_date(day)}网上报送）" + blank_box()
    return blank_box()


def approval_label(campaign) -> str:
    """Who approves, as the approval row names it: the plan's own label (the seed prints
    省政府（省委、省政府）), or the body the campaign commends in the name of."""
    return campaign.approval_label or campaign.commended_in_name_of


def _approval(nominee) -> str:
    """The approval box (two seals in the seed): the approving document
    the office recorded, if any, and both seal boxes left for the stamps."""
    approval = getattr(nominee.campaign, "approval", None)
    award = getattr(nominee, "award", None)
    if award is None or approval is None:
        return blank_box(seals=2)
    revoked = "（该表彰已撤销）" if award.state == award.State.REVOKED else ""
    return (
        f"（批准文件：{approval.document_number}，{cn_date(approval.approved_on)}）{revoked}"
        + blank_box(seals=2)
    )


def _review_rows(nominee, widths_total_span: int, first_label: str) -> list[Row]:
    tiers = tiers_for(nominee) if nominee.pk else ["county", "city", "province"]
    rows = [
        Row(
            [Cell(first_label, label=True), Cell(_unit_opinion(nominee), span=widths_total_span)],
            height_cm=3.2,
        )
    ]
    for tier in ("county", "city", "province"):
        rows.append(
            Row(
                [
                    Cell(review_label(nominee.campaign, tier), label=True),
                    Cell(review_text(nominee, tier, tier in tiers), span=widths_total_span),
                ],
                height_cm=3.6,
            )
        )
    rows.append(
        Row(
            [
                Cell(f"{approval_label(nominee.campaign)}\n审批意见", label=True),
                Cell(_approval(nominee), span=widths_total_span),
            ],
            height_cm=3.6,
        )
    )
    return rows


def _cover(doc, attachment, title, lines, notes_title, notes):
    doc.add(Para(attachment, "attachment"), Para(""), Para(""), Para(title, "title"))
    doc.add(Para(""), Para(""), Para(""))
    for line in lines:
        doc.add(Para(line, "cover"))
    doc.add(PageBreak(), Para(notes_title, "subtitle"))
    for note in notes:
        doc.add(Para(note, "body"))
    doc.add(PageBreak())


def _filled_on(nominee) -> str:
    day = timezone.localtime(nominee.submitted_at).date() if nominee.submitted_at else None
    return f"{day.year}年{day.month}月{day.day}日" if day else "  年  月  日"


def collective_form(nominee: Nominee, codes: Codes | None = None, *, full: bool = True) -> Document:
    """附件2: 先进集体推荐审批表."""
    shown = personal_data(nominee, full)
    category = nominee.category
    title = category.title_on_forms
    temporary = "（临时集体）" if nominee.is_temporary and "临时集体" not in nominee.name else ""
    name = f"{nominee.name}{temporary}"
    doc = Document(key=f"form2-{nominee.pk}", title=f"{title}推荐审批表：{name}")
    _cover(
        doc,
        "附件2",
        f"{title}推荐审批表",
        [
            f"集体名称：{name}",
            f"所属单位：{nominee.parent_unit_name}",
            f"推荐单位：{nominee.body.name}",
            f"填报时间：{_filled_on(nominee)}",
        ],
        "填 表 说 明",
        [
            f"1、本表是{title}推荐用表，必须如实填写，不得作假，违者取消评选资格。",
            "2、本表一律打印填写，不得随意更改格式，使用仿宋小四号字，数字统一使用阿拉伯数字。",
            "3、填写内容必须完整准确。“集体名称”填写全称，临时集体应在集体名称后标注“（临时集体）”；"
            "“集体类型”选填机关、参公单位、事业单位、社会组织、企业或其他，没有行政级别的集体在"
            "“集体级别”栏填写“无”；“单位所在行政区划”须精确到县（区、市）。",
            "4、“集体所属单位”填集体所属机构的全称，如无所属单位，填写集体名称。",
            "5、“基本情况介绍”主要包括本集体机构设置、人员概况、职能职责、主要业务等内容，"
            f"字数控制在{nominee.campaign.profile_max_chars}字以内。",
            "6、“主要事迹”要求以第三人称叙述，力求简明、重点突出，"
            f"字数控制在{nominee.campaign.deeds_max_chars}字以内。",
            "7、推荐审核意见部分，按照集体所属层级填写，如集体属市级集体，则“县级相关部门意见”"
            "栏无需填写。",
            "8、本表上报一式3份，规格为A4纸双面打印成册中间骑缝装订。",
        ],
    )
    widths = [2.8, 2.6, 2.6, 2.6, 2.6, 2.6]
    label = lambda text: Cell(text, label=True)  # noqa: E731
    rows = [
        Row([label("集体名称"), Cell(name, span=5)], 1.0),
        Row(
            [
                label("集体类型"),
                Cell(nominee.get_collective_type_display(), span=2),
                label("集体级别"),
                Cell(_level(nominee), span=2),
            ],
            1.0,
        ),
        Row(
            [
                label("集体人数"),
                Cell(str(nominee.member_count or ""), span=2),
                label("所在行政区划"),
                Cell(_division(nominee.unit_division), span=2),
            ],
            1.0,
        ),
        Row(
            [
                label("集体主要\n负责人姓名"),
                Cell(nominee.leader_name),
                label("集体主要负责人\n单位和职务"),
                Cell(nominee.leader_unit_position),
                label("集体主要负责人联系电话"),
                Cell(shown.leader_phone),
            ],
            1.2,
        ),
        Row(
            [
                label("集体所属单位"),
                Cell(nominee.parent_unit_name or name, span=2),
                label("集体所属单位\n联系电话"),
                Cell(shown.parent_unit_phone, span=2),
            ],
            1.0,
        ),
        Row([label("单位地址"), Cell(nominee.address, span=5)], 1.0),
        Row([label("拟授予称号"), Cell(title, span=5)], 1.0),
        Row([label("表彰层级"), Cell(category.commendation_level, span=5)], 1.0),
        Row([label("何时何地\n受过何种奖励"), Cell(_records(nominee, "award"), span=5)], 2.5),
        Row([label("何时何地\n受过何种处分"), Cell(_records(nominee, "punishment"), span=5)], 2.0),
        Row([label("基本情况介绍"), Cell(nominee.profile, span=5)], 5.0, "基本情况\n介绍（续）"),
        Row([label("主要事迹"), Cell(nominee.deeds, span=5)], 12.0, "主要事迹\n（续）"),
        *_review_rows(nominee, 5, "申报单位\n意    见"),
    ]
    doc.add(Table(widths, rows))
    return doc


def individual_form(nominee: Nominee, codes: Codes | None = None, *, full: bool = True) -> Document:
    """附件3: 先进个人推荐审批表 (with the photo)."""
    codes = codes or Codes()
    category = nominee.category
    title = category.title_on_forms
    doc = Document(key=f"form3-{nominee.pk}", title=f"{title}推荐审批表：{nominee.name}")
    _cover(
        doc,
        "附件3",
        f"{title}\n推荐审批表",
        [
            f"姓    名：{nominee.name}",
            f"工作单位：{nominee.work_unit_name}",
            f"填报时间：{_filled_on(nominee)}",
        ],
        "填 表 说 明",
        [
            f"一、本表是{title}推荐用表，必须如实填写，不得作假，违者取消评选资格。",
            "二、本表一律打印填写，不得随意更改格式，使用仿宋小四号字，数字统一使用阿拉伯数字。",
            "三、填写内容必须完整准确。“籍贯”填写精确到县（区、市、旗）；“参加工作时间”精确到月；"
            "“编制性质”选填行政、参公、事业、企业；“职务职级”“职称”等按照国家有关规定详细填写；"
            "“专业技术职务”根据个人的专业技术职务级别选填正高级、副高级、中级或初级专业技术职务；"
            "“工作单位”填写规范全称；“工作单位隶属关系”根据所在单位管辖隶属关系，可选择填写省、"
            "市（州）、县（区）、乡镇（街道）或其他；“工作单位性质”根据所在单位性质选填机关、"
            "参公单位、事业单位、企业或其他；“工作单位行政区划”精确到县（区、市）。",
            "四、“简历”从学徒或高中毕业填起，精确到月，不得断档。",
            "五、“何时何地受过何种奖励”填地市级及以上表彰奖励。",
            "六、“主要事迹”要求以第三人称叙述，力求简明、重点突出，"
            f"字数控制在{nominee.campaign.deeds_max_chars}字左右。",
            "七、推荐审核意见部分，按照工作单位隶属关系填写，如工作单位属市级，则“县级相关部门意见”"
            "栏无需填写。",
            "八、本表上报一式3份，规格为A4纸双面打印成册中间骑缝装订。",
        ],
    )
    shown = personal_data(nominee, full)
    id_number, mobile = shown.id_number, shown.mobile
    education = codes.name("education", nominee.education)
    degree = codes.name("degree", nominee.degree)
    widths = [2.2, 3.9, 2.2, 3.6, 3.9]
    label = lambda text: Cell(text, label=True)  # noqa: E731
    photo = _photo(nominee)
    photo_cell = (
        Cell(image=photo, rowspan=4, image_width_cm=3.5)  # a 2-inch photo: 35 × 49 mm
        if photo
        else Cell("照片\n（近期2寸正面半\n身免冠蓝底彩色\n照片）", rowspan=4, label=True)
    )
    rows = [
        Row(
            [
                label("姓名"),
                Cell(nominee.name),
                label("性别"),
                Cell(nominee.get_gender_display()),
                photo_cell,
            ],
            1.0,
        ),
        Row(
            [
                label("民族"),
                Cell(codes.name("ethnicity", nominee.ethnicity)),
                label("籍贯"),
                Cell(nominee.native_place),
            ],
            1.0,
        ),
        Row(
            [
                label("出生日期"),
                Cell(ym(nominee.birth_date)),
                label("政治面貌"),
                Cell(codes.name("political_status", nominee.political_status)),
            ],
            1.0,
        ),
        Row(
            [
                label("学历学位"),
                Cell(" ".join(x for x in (education, degree) if x)),
                label("参加工作\n时间"),
                Cell(ym(nominee.work_start)),
            ],
            1.0,
        ),
        Row(
            [
                label("身份证\n号码"),
                Cell(id_number),
                label("编制性质"),
                Cell(nominee.get_staffing_type_display(), span=2),
            ],
            1.0,
        ),
        Row(
            [
                label("职务职级"),
                Cell(nominee.position_rank),
                label("主要兼任职务"),
                Cell(nominee.concurrent_posts, span=2),
            ],
            1.0,
        ),
        Row(
            [
                label("专业技术\n职务"),
                Cell(nominee.get_technical_post_grade_display()),
                label("技术等级"),
                Cell(nominee.skill_level, span=2),
            ],
            1.0,
        ),
        Row(
            [
                label("职称"),
                Cell(nominee.professional_title),
                label("职称等级"),
                Cell(nominee.get_title_grade_display(), span=2),
            ],
            1.0,
        ),
        Row([label("工作单位"), Cell(nominee.work_unit_name, span=4)], 1.0),
        Row(
            [
                label("工作单位\n隶属关系"),
                Cell(nominee.get_unit_affiliation_display()),
                label("工作单位\n性质"),
                Cell(nominee.get_unit_nature_display(), span=2),
            ],
            1.0,
        ),
        Row(
            [
                label("工作单位\n行政区划"),
                Cell(_division(nominee.unit_division)),
                label("工作单位\n地址"),
                Cell(nominee.unit_address, span=2),
            ],
            1.0,
        ),
        Row(
            [
                label("工作单位联系电话"),
                Cell(shown.unit_phone),
                label("个人联系电话"),
                Cell(mobile, span=2),
            ],
            1.0,
        ),
        Row([label("拟授予\n称号"), Cell(title, span=4)], 1.0),
        Row([label("表彰层级"), Cell(category.commendation_level, span=4)], 1.0),
        Row([label("个\n人\n简\n历"), Cell(_resume(nominee), span=4)], 6.0),
        Row([label("何时何地\n受过何种奖励"), Cell(_records(nominee, "award"), span=4)], 3.0),
        Row([label("何时何地\n受过何种处分"), Cell(_records(nominee, "punishment"), span=4)], 2.0),
        Row([label("主要事迹"), Cell(nominee.deeds, span=4)], 14.0, "主要事迹\n（续）"),
        *_review_rows(nominee, 4, "所在单位\n意    见"),
    ]
    doc.add(Table(widths, rows))
    return doc


CLEARANCE_ROWS = {
    "collective": [
        ("组织人事部门意见", (F.ORGANIZATION,)),
        ("纪检监察机关意见", (F.DISCIPLINE_INSPECTION,)),
        ("公安部门意见", (F.PUBLIC_SECURITY,)),
        ("民政部门和业务主管单位（行业管理部门）意见", (F.CIVIL_AFFAIRS, SECTOR_AUTHORITY)),
    ],
    "individual": [
        ("组织人事部门意见", (F.ORGANIZATION,)),
        ("纪检监察机关意见", (F.DISCIPLINE_INSPECTION,)),
        ("公安部门意见", (F.PUBLIC_SECURITY,)),
    ],
}
ENTERPRISE_ROWS = [
    ("生态环境部门意见：", F.ECOLOGY_ENVIRONMENT),
    ("人力资源和社会保障部门意见：", F.HR_SOCIAL_SECURITY),
    ("税务部门意见：", F.TAX),
    ("市场监管部门意见：", F.MARKET_REGULATION),
    ("应急管理部门意见：", F.EMERGENCY_MANAGEMENT),
    ("统战部门意见：", F.UNITED_FRONT),
    ("工商联意见：", F.FEDERATION_INDUSTRY_COMMERCE),
    ("审计部门意见：", F.AUDIT),
]
CLEARANCE_NOTES = {
    "collective": "注：1.对机关事业单位和国有企业集体，按管理权限征求组织人事部门、"
    "纪检监察机关意见；"
    "2.对社会组织，征求纪检监察机关、组织人事部门和注册地民政部门和业务主管单位（行业管理部门）意见；"
    "3.所有先进集体推荐对象均需征求公安部门意见；4.此表一式3份，随推荐审批表一并报送；"
    "5.如需征求其他部门意见，请参照此表自行制作表格，或提供书面材料。",
    "individual": "注：1.对机关事业单位和国有企业工作人员，按管理权限征求组织人事部门、"
    "纪检监察机关意见；"
    "2.所有先进个人推荐对象均需征求公安部门意见；3.此表一式3份，随推荐审批表一并报送；"
    "4.如需征求其他部门意见，请参照此表自行制作表格，或提供书面材料。",
}
ENTERPRISE_NOTE = (
    "注：1.推荐对象为企业和企业负责人的，除先进集体和先进个人征求意见表外，还需填写此表；"
    "2.对国有企业及其负责人，不征求统战部门、工商联意见；3.对其他所有制企业及其负责人，"
    "不征求审计部门意见；4.此表一式3份，随推荐审批表一并报送；5.如需征求其他部门意见，"
    "请参照此表自行制作表格，或提供书面材料。"
)


CLEARANCE_SEAL = f"（{SEAL}）\n{BLANK_DATE}"


def clearance_text(requests: list[ClearanceRequest], seals: int = 1) -> str:
    """The recorded opinions of one row, each with the seal box it keeps for the stamp, and the
    blank seal boxes of the seed still unanswered (the 组织人事 row has two)."""
    decided = [
        r
        for r in requests
        if r.state in (ClearanceRequest.State.AGREED, ClearanceRequest.State.DISAGREED)
    ]
    boxes = [
        opinion_box(
            r.opinion or r.get_state_display(),
            r.decided_on,
            r.department.name if r.department else "",
            r.officer_name,
            r.on_paper,
        ).replace(f"\n\n{SEAL}", f"\n\n（{SEAL}）")
        for r in decided
    ]
    boxes += [f"\n\n{CLEARANCE_SEAL}"] * max(0, seals - len(boxes))
    return "\n\n".join(boxes)


def _requests_by_function(nominee) -> dict[str, list[ClearanceRequest]]:
    out: dict[str, list[ClearanceRequest]] = {}
    for request in nominee.clearances.all():
        out.setdefault(request.function, []).append(request)
    return out


def clearance_form(nominee: Nominee) -> Document:
    """附件4: 先进集体征求意见表 / 先进个人征求意见表."""
    kind = "individual" if nominee.is_individual else "collective"
    by_function = _requests_by_function(nominee)
    doc = Document(key=f"form4-{nominee.pk}", title=f"征求意见表：{nominee.name}")
    doc.add(Para("附件4", "attachment"))
    if kind == "collective":
        doc.add(Para("先进集体征求意见表", "title"))
        doc.add(
            Para(
                f"集体名称：{nominee.name}    集体性质及所属单位："
                f"{nominee.get_collective_type_display()}，"
                f"{nominee.parent_unit_name or nominee.name}"
            )
        )
    else:
        doc.add(Para("先进个人征求意见表", "title"))
        doc.add(
            Para(
                f"姓名：{nominee.name}    "
                f"单位及职务：{nominee.work_unit_name}{nominee.position_rank}"
            )
        )
    rows = []
    used = set()
    for label_text, functions in CLEARANCE_ROWS[kind]:
        requests = [r for f in functions for r in by_function.get(f, [])]
        used.update(functions)
        # 组织、人事: two boxes in the seed; a row of two departments keeps a box for each
        seals = max(2 if F.ORGANIZATION in functions else 1, len(requests))
        rows.append(Row([Cell(label_text, label=True), Cell(clearance_text(requests, seals))], 4.2))
    enterprise_functions = {f for _label, f in ENTERPRISE_ROWS}
    for function, requests in by_function.items():
        if function in used or function in enterprise_functions:
            continue
        rows.append(
            Row(
                [
                    Cell(_clearance_label(function, requests), label=True),
                    Cell(clearance_text(requests)),
                ],
                4.2,
            )
        )
    doc.add(Table([3.2, 12.6], rows), Para(CLEARANCE_NOTES[kind], "note"))
    return doc


def enterprise_form(nominee: Nominee) -> Document:
    """附件5: 企业和企业负责人征求意见表."""
    by_function = _requests_by_function(nominee)
    doc = Document(key=f"form5-{nominee.pk}", title=f"企业和企业负责人征求意见表：{nominee.name}")
    if nominee.is_individual:
        heading = f"{nominee.work_unit_name}（{nominee.name}，{nominee.position_rank}）"
        ownership = ""
    else:
        heading = nominee.name
        ownership = nominee.get_ownership_display()
    doc.add(
        Para("附件5", "attachment"),
        Para("企业和企业负责人征求意见表", "title"),
        Para(f"企业名称（企业负责人姓名及职务）：{heading}"),
        Para(f"企业类型：{ownership}"),
    )
    cells = [
        Cell(f"{label_text}\n{clearance_text(by_function.get(function, []))}")
        for label_text, function in ENTERPRISE_ROWS
    ]
    rows = [Row(cells[i : i + 2], 4.5) for i in range(0, len(cells), 2)]
    doc.add(Table([7.9, 7.9], rows), Para(ENTERPRISE_NOTE, "note"))
    return doc


SUMMARY_NOTES = NOTES  # 附件6's notes, as in the summary workbook


def summary_form(campaign, body, nominees, *, full: bool, filled_on=None) -> Document:
    """附件6: 推荐对象汇总表 for one body (landscape)."""
    codes = Codes()
    day = filled_on or timezone.localdate()
    doc = Document(
        key=f"form6-{body.key}",
        title=f"推荐对象汇总表：{body.name}",
        landscape=True,
        margins_cm=(2.0, 2.0, 2.0, 2.0),
    )
    doc.add(
        Para("附件6", "attachment"),
        Para("推荐对象汇总表", "title"),
        Para(f"推荐单位：{body.name}        填表日期：{cn_date(day)}"),
    )
    for index, category in enumerate(campaign.categories.order_by("sort_order"), start=1):
        members = [n for n in nominees if n.category_id == category.pk]
        doc.add(
            Para(f"{chinese_ordinal(index)}、{category.title_on_forms}推荐对象汇总表", "heading")
        )
        if category.kind == "collective":
            header = [
                "序号",
                "先进集体名称",
                "集体性质",
                "集体级别",
                "集体人数",
                "集体负责人姓名及职务",
                "联系人及电话",
                "备注",
            ]
            widths = [1.2, 6.0, 2.4, 2.0, 1.8, 5.0, 4.2, 3.1]
            body_rows = [summary_row(i, n, full, codes)[:8] for i, n in enumerate(members, start=1)]
        else:
            header = [
                "序号",
                "姓名",
                "性别",
                "民族",
                "政治\n面貌",
                "工作单位",
                "单位性质",
                "职务",
                "行政级别",
                "职称",
                "身份证号",
                "联系电话",
                "通讯地址",
                "备注",
            ]
            # 25.7 cm: the type area of A4 landscape with 2 cm margins
            widths = [1.0, 1.6, 1.0, 1.3, 1.6, 3.2, 1.8, 2.4, 1.6, 1.6, 3.8, 2.0, 1.6, 1.2]
            body_rows = [
                [*summary_row(i, n, full, codes)[:13], ""]  # 备注 left for the clerk
                for i, n in enumerate(members, start=1)
            ]
        while len(body_rows) < 2:  # the paper form's two numbered blank rows
            body_rows.append([str(len(body_rows) + 1)] + [""] * (len(header) - 1))
        rows = [Row([Cell(h, label=True) for h in header])]
        rows += [
            Row([Cell(v, align="center" if c == 0 else "") for c, v in enumerate(r)])
            for r in body_rows
        ]
        doc.add(Table(widths, rows, font_pt=9))
    for note in SUMMARY_NOTES:
        doc.add(Para(note, "note"))
    doc.add(Para("联系人单位、 姓名及职务：      联系电话：      传真："))
    return doc


def nominee_documents(nominee: Nominee, *, full: bool = True) -> list[Document]:
    """Every form of one nominee, in the order they are bound (C-12)."""
    codes = Codes()
    first = (
        individual_form(nominee, codes, full=full)
        if nominee.is_individual
        else collective_form(nominee, codes, full=full)
    )
    docs = [first, clearance_form(nominee)]
    if nominee.is_enterprise:
        docs.append(enterprise_form(nominee))
    return docs


def prefetch(queryset):
    return queryset.select_related(
        "campaign",
        "category",
        "body",
        "nominating_unit",
        "unit_division",
        "award",
        "campaign__approval",
    ).prefetch_related("records", "resume", "review_opinions__department", "clearances__department")


def body_cover(campaign, body, count: int, day=None) -> Document:
    """The cover of a body's bound materials (合订本)."""
    day = day or timezone.localdate()
    doc = Document(key=f"cover-{body.key}", title=f"推荐材料合订本：{body.name}")
    doc.add(
        Para(""),
        Para(""),
        Para(campaign.name, "title"),
        Para("推荐材料", "title"),
        Para(""),
        Para(""),
        Para(f"推荐单位：{body.name}", "cover"),
        Para(f"推荐对象：{count}个", "cover"),
        Para("内容：推荐对象汇总表（附件6）；各推荐对象的推荐审批表和征求意见表", "cover"),
        Para(f"打印日期：{cn_date(day)}", "cover"),
    )
    return doc


def body_booklet(campaign, body, nominees, *, full: bool, forms=None) -> list[Document]:
    """A body's materials bound as one (C-12: A4, double-sided): the cover, its summary sheet
    (附件6), then every nominee's forms — each document starting on a right-hand page.
    ``forms``: how many of a nominee's forms to bind (1: the approval form only, for a reader
    who may not read the clearance opinions); all when not given."""
    documents = [
        body_cover(campaign, body, len(nominees)),
        summary_form(campaign, body, nominees, full=full),
    ]
    for nominee in nominees:
        bound = None if forms is None else forms.get(nominee.pk, 1)  # unknown: the form only
        documents += nominee_documents(nominee, full=full)[:bound]
    return documents
