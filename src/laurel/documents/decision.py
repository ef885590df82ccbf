"""The commendation decision (表彰决定) in the style of GB/T 9704, the certificates and the
plaque engraving list."""

from __future__ import annotations

import datetime
import io
from itertools import groupby

import segno
from django.conf import settings

from laurel.core.text import chinese_ordinal
from laurel.documents.layout import Cell, Document, PageBreak, Para, Picture, Row, Table
from laurel.documents.names import stroke_key
from laurel.evaluation.models import Award

DIGITS = "〇一二三四五六七八九"


def chinese_date(day: datetime.date) -> str:
    """2023-04-20 → 二〇二三年四月二十日."""

    year = "".join(DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{chinese_ordinal(day.month)}月{chinese_ordinal(day.day)}日"


def subject(campaign) -> str:
    """The decision's subject: the campaign's own wording, or the one derived from its name."""
    return campaign.commendation_subject


def _awards(campaign):
    return list(
        Award.objects.filter(nominee__campaign=campaign)
        .select_related("nominee__category", "nominee__body")
        .order_by("nominee__category__sort_order", "nominee__body__sort_order")
    )


def _ordered(awards):
    """Grouped by body in the plan's order; inside a body by surname strokes."""
    out = []
    for _body, members in groupby(awards, key=lambda a: a.nominee.body_id):
        out.extend(sorted(members, key=lambda a: stroke_key(a.nominee.name)))
    return out


DEFAULT_ADDRESSEES = "各市（州）人民政府，省政府各厅委办、各直属机构："


def arabic_date(day: datetime.date) -> str:
    """GB/T 9704-2012 7.3.5.2: the date in Arabic numerals, no leading zeros (2020年10月20日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _width(text: str) -> float:
    """Characters of type: a half-width digit or letter counts half."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def padded_name(name: str) -> str:
    """A two-character name spaced to the width of three (王　芳), as lists of names align."""
    return f"{name[0]}\u3000{name[1]}" if len(name) == 2 else name


def decision(campaign) -> Document:
    """The decision as GB/T 9704-2012 lays out a 公文: 版头 (the red 发文机关标志, 发文字号,
    the red separator), 主体 (title, 主送机关, text, 附件说明, 署名 centred over the 成文日期,
    which stands four characters in from the right; the seal is set by hand on the print),
    the attachments (lists by surname strokes) on pages of their own, and the 版记 (抄送,
    印发机关 and 印发日期 between lines). Page numbers and the type grid come with the
    document kind (docx.py, pdf.py)."""
    approval = getattr(campaign, "approval", None)
    issued = approval.approved_on if approval else datetime.date.today()
    issuer = campaign.commended_in_name_of
    doc = Document(
        key=f"decision-{campaign.slug}",
        title=f"{issuer}关于表彰{subject(campaign)}的决定",
        margins_cm=(3.7, 2.6, 3.5, 2.8),  # GB/T 9704: 天头37 mm, 订口28 mm, 版心156×225 mm
        kind="decision",
    )
    doc.add(
        Para(f"{issuer}文件", "gw-mark"),
        Para("", "gw-left"),
        Para(approval.document_number if approval else "", "gw-number"),
        Para("", "gw-rule"),
        Para(doc.title, "gw-title"),
        Para("", "gw-left"),
        Para(campaign.decision_addressees or DEFAULT_ADDRESSEES, "gw-left"),
    )
    awards = _awards(campaign)
    sentences = []
    for category, members in groupby(awards, key=lambda a: a.nominee.category):
        members = _ordered(list(members))
        unit = "个单位" if category.kind == "collective" else "名同志"
        sentences.append(
            f"授予{members[0].nominee.name}等{len(members)}{unit}“{category.honour_title}”称号"
        )
    # one list per category with awards, numbered only when there are several (7.3.3)
    categories = [
        category for category, _members in groupby(awards, key=lambda a: a.nominee.category)
    ]
    if len(categories) == 1:
        attachments = f"附件：{categories[0].honour_title}名单"
    else:
        attachments = "附件：" + "\n".join(
            ("" if i == 1 else "\u3000" * 3) + f"{i}．{c.honour_title}名单"
            for i, c in enumerate(categories, start=1)
        )
    # who is commended, by the kinds this round commends (a plan of collectives alone does not
    # praise 先进个人)
    kinds = {c.kind for c in categories}
    honourees = "和".join(
        label
        for kind, label in (("collective", "先进集体"), ("individual", "先进个人"))
        if kind in kinds or not kinds
    )
    date = arabic_date(issued)
    shift = max(0, round((_width(date) - _width(issuer)) / 2))
    doc.add(
        Para(
            f"近年来，全省各地、各部门认真贯彻落实党中央、国务院和省委、省政府决策部署，"
            f"扎实推进各项工作，涌现出一批成绩突出的{honourees}。为表彰先进、树立典型，"
            f"{issuer}决定，{'；'.join(sentences)}。",
            "gw-body",
        ),
        Para(
            f"希望受到表彰的{honourees}珍惜荣誉，再接再厉，再创佳绩。全省广大干部职工要以"
            "先进为榜样，锐意进取、担当作为，为推动全省经济社会高质量发展作出新的更大贡献。",
            "gw-body",
        ),
        *([Para("", "gw-left"), Para(attachments, "gw-body")] if categories else []),
        Para("", "gw-left"),
        Para("", "gw-left"),
        Para(issuer + "\u3000" * shift, "gw-sign"),
        Para(date, "gw-sign"),
    )
    for index, (category, members) in enumerate(
        groupby(awards, key=lambda a: a.nominee.category), start=1
    ):
        members = list(members)
        measure = "个" if category.kind == "collective" else "名"
        doc.add(
            PageBreak(),
            Para(f"附件{index}" if len(categories) > 1 else "附件", "attachment"),
            Para("", "gw-left"),
            Para(f"{category.honour_title}名单", "gw-title"),
            Para("", "gw-left"),
        )
        for body, in_body in groupby(members, key=lambda a: a.nominee.body):
            in_body = sorted(in_body, key=lambda a: stroke_key(a.nominee.name))
            doc.add(Para(f"{body.name}（{len(in_body)}{measure}）", "gw-heading"))
            for award in in_body:
                nominee = award.nominee
                if category.kind == "collective":
                    doc.add(Para(nominee.name, "gw-left"))
                else:
                    doc.add(
                        Para(
                            f"{padded_name(nominee.name)}　"
                            f"{nominee.work_unit_name}{nominee.position_rank}",
                            "gw-left",
                        )
                    )
    printed_by = campaign.decision_printed_by or issuer
    doc.add(PageBreak(), *[Para("", "gw-left") for _line in range(18)])
    if campaign.decision_copy_to:
        doc.add(Para(f"抄送：{campaign.decision_copy_to}", "gw-imprint"))
    doc.add(Para(f"{printed_by}\u3000\u3000{date}印发", "gw-imprint"))
    return doc


def verify_url(number: str) -> str:
    """The public verify page for one certificate (its number filled in; the name is asked on
    the page, never carried in an address)."""
    return f"{settings.LAUREL_PUBLIC_URL}/public/verify/?number={number}"


def _qr_png(text: str, mask: int | None = None) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m", mask=mask).save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def _qr_mask(text: str) -> int:
    """The mask pattern segno finds best for ``text`` (it scores all eight, most of a code's
    cost). A batch of certificates' addresses differ only in their digits: the first one's
    mask serves them all — any mask gives a valid code; the score only avoids patterns that
    confuse scanners, and it is near-best for addresses of the same shape."""
    return segno.make(text, error="m").mask


def certificate_documents(awards) -> list[Document]:
    """One certificate per page, designed as one (A4 landscape in a double red frame): the
    title, the person, what they are commended for, the issuing authority and date; in the
    corner the number, the address of the public verify page and its QR code."""
    docs = []
    mask = None
    for award in awards:
        nominee = award.nominee
        campaign = nominee.campaign
        addressee = f"{nominee.name}同志：" if nominee.is_individual else f"{nominee.name}："
        doc = Document(
            key=f"certificate-{award.certificate_number}",
            title=f"荣誉证书 {award.certificate_number}",
            landscape=True,
            margins_cm=(2.5, 3.0, 2.5, 3.0),
            kind="certificate",
        )
        url = verify_url(award.certificate_number)
        mask = _qr_mask(url) if mask is None else mask
        wording = (
            f"在{campaign.achievement_on_certificates}中成绩突出，"
            f"被评为“{nominee.category.honour_title}”。特发此证，以资鼓励。"
        )
        doc.add(
            Para("荣 誉 证 书", "cert-title"),
            Para(addressee, "cert-name"),
            Para(wording, "cert-body" if len(wording) <= 70 else "cert-body-long"),
            Para(campaign.commended_in_name_of, "cert-sign"),
            Para(chinese_date(award.issued_on), "cert-sign"),
            Para(f"证书编号：{award.certificate_number}\n查验：{url}", "cert-foot"),
            Picture(_qr_png(url, mask), 2.4, style="qr"),
        )
        docs.append(doc)
    return docs


def plaque_list(campaign) -> Document:
    """奖牌镌刻清单: what each collective's plaque says."""
    approval = getattr(campaign, "approval", None)
    year = (approval.approved_on if approval else datetime.date.today()).year
    doc = Document(key=f"plaques-{campaign.slug}", title=f"{campaign.name}奖牌镌刻清单")
    doc.add(Para(doc.title, "title"))
    rows = [Row([Cell(h, label=True) for h in ("序号", "推荐单位", "集体名称", "镌刻内容")])]
    plaques = [a for a in _awards(campaign) if a.plaque and a.state == "valid"]
    for index, award in enumerate(_ordered(plaques), start=1):
        engraving = (
            f"{award.nominee.category.honour_title}\n{campaign.commended_in_name_of}\n{year}年"
        )
        rows.append(
            Row(
                [
                    Cell(str(index), align="center"),
                    Cell(award.nominee.body.name),
                    Cell(award.nominee.name),
                    Cell(engraving, align="center"),
                ]
            )
        )
    doc.add(Table([1.2, 3.6, 5.4, 5.6], rows, font_pt=10.5))
    return doc
