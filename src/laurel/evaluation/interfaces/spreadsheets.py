"""The award lists as a workbook: bonus list with totals per body and overall, plaque list."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.spreadsheets import workbook_bytes
from laurel.evaluation.models import Award
from laurel.evaluation.queries import of_judges


def _awards(campaign):
    return (
        Award.objects.filter(nominee__campaign=campaign)
        .select_related("nominee__category", "nominee__body")
        .order_by("nominee__category__sort_order", "nominee__body__sort_order", "nominee__rank")
    )


def body_totals(campaign) -> list[dict]:
    """Valid awards with a bonus per body, in the plan's body order: count and amount."""
    valid = Q(nominees__award__state=Award.State.VALID, nominees__award__bonus_amount__gt=0)
    return list(
        campaign.bodies.annotate(
            people=Count("nominees__award", filter=valid),
            total=Sum("nominees__award__bonus_amount", filter=valid),
        )
        .filter(people__gt=0)
        .order_by("sort_order")
        .values("name", "people", "total")
    )


def award_workbook(campaign, user) -> bytes:
    exported = _("导出：%(user)s，%(time)s") % {
        "user": user.get_full_name() or user.get_username(),
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    awards = list(_awards(campaign))
    bonus_rows = [
        (
            index,
            a.nominee.body.name,
            a.nominee.name,
            a.nominee.work_unit_name,
            a.nominee.position_rank,
            a.certificate_number or "",
            a.bonus_amount,
            a.get_state_display(),
            _("已收回") if a.bonus_recovered else "",
        )
        for index, a in enumerate((a for a in awards if a.bonus_amount > 0), start=1)
    ]
    totals = body_totals(campaign)
    total_rows = [(t["name"], t["people"], t["total"]) for t in totals]
    total_rows.append(
        (
            _("合计"),
            sum(t["people"] for t in totals),
            sum((t["total"] for t in totals), Decimal("0.00")),
        )
    )
    plaque_rows = [
        (
            index,
            a.nominee.body.name,
            a.nominee.name,
            a.nominee.category.honour_title,
            a.get_state_display(),
        )
        for index, a in enumerate((a for a in awards if a.plaque), start=1)
    ]
    return workbook_bytes(
        [
            (
                _("奖金发放名单"),
                f"{campaign.name} 奖金发放名单（{exported}）",
                [
                    _("序号"),
                    _("推荐单位"),
                    _("姓名"),
                    _("工作单位"),
                    _("职务"),
                    _("证书编号"),
                    _("奖金（元）"),
                    _("状态"),
                    _("奖金收回"),
                ],
                bonus_rows,
            ),
            (
                _("按推荐单位汇总"),
                f"{campaign.name} 奖金汇总（有效表彰，{exported}）",
                [_("推荐单位"), _("人数"), _("金额（元）")],
                total_rows,
            ),
            (
                _("奖牌名单"),
                f"{campaign.name} 奖牌名单（{exported}）",
                [_("序号"), _("推荐单位"), _("集体名称"), _("称号"), _("状态")],
                plaque_rows,
            ),
        ]
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def minutes_workbook(panel, rows, user) -> bytes:
    """A closed panel's record as .xlsx: the tally, the members and the recusals."""
    exported = _("导出：%(user)s，%(time)s") % {
        "user": user.get_full_name() or user.get_username(),
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    minutes = panel.minutes
    title = f"{panel.campaign.name} · {panel.name}（{exported}）"
    tally_rows = [
        (
            r.position,
            r.nominee.name,
            r.nominee.nominating_unit.name,
            r.approvals,
            r.base,
            r.recused,
            "" if r.mean_rank is None else round(r.mean_rank, 2),
            _("通过") if r.passed else _("未通过"),
            _("票数相同") if r.tied else "",
        )
        for r in rows
    ]
    member_rows = [(m["name"], m["unit"], m["votes"]) for m in minutes.get("members", [])]
    recusal_rows = [
        (r["expert"], r["nominee"], r["reason"], _("系统自动") if r["automatic"] else _("本人申报"))
        for r in minutes.get("recusals", [])
    ]
    return workbook_bytes(
        [
            (
                _("计票结果"),
                title,
                [
                    _("名次"),
                    _("推荐对象"),
                    _("单位"),
                    _("赞成"),
                    _("应评专家") if of_judges(rows) else _("投票"),
                    _("回避"),
                    _("平均排序"),
                    _("结果"),
                    _("备注"),
                ],
                tally_rows,
            ),
            (_("评审专家"), title, [_("专家"), _("单位"), _("投票数")], member_rows),
            (_("回避情况"), title, [_("专家"), _("推荐对象"), _("原因"), _("方式")], recusal_rows),
        ]
    )
