"""Demo accounts: one or more per role, with synthetic names (Faker zh_CN, fixed seed)."""

from __future__ import annotations

from dataclasses import dataclass

from faker import Faker

from laurel.accounts.models import User
from laurel.accounts.services.users import create_user
from laurel.core.roles import Role
from laurel.orgs.models import UnitFunction

DEMO_PASSWORD = "Laurel-Demo-2026"
F = UnitFunction.Function


@dataclass(frozen=True)
class DemoAccount:
    username: str
    roles: tuple[str, ...]
    unit_key: str
    position: str


DEMO_ACCOUNTS = [
    DemoAccount("admin", (Role.SYSTEM_ADMIN,), "省人社厅", "信息中心工程师"),
    DemoAccount("office", (Role.PROVINCIAL_OFFICE,), "省住建厅", "住房保障处四级主任科员"),
    DemoAccount("office_hr", (Role.PROVINCIAL_OFFICE,), "省人社厅", "表彰办三级主任科员"),
    DemoAccount("leader", (Role.LEADING_GROUP,), "省人社厅", "领导小组成员"),
    DemoAccount("cc_body", (Role.NOMINATING_BODY,), f"220100:{F.HOUSING}", "住房保障科科长"),
    DemoAccount("nanguan_body", (Role.NOMINATING_BODY,), f"220102:{F.HOUSING}", "办公室主任"),
    DemoAccount("czt_unit", (Role.NOMINATING_UNIT,), "省财政厅", "综合处一级主任科员"),
    DemoAccount("soe_unit", (Role.NOMINATING_UNIT,), "soe", "人力资源部经理"),
    DemoAccount(
        "cc_hr_review", (Role.REVIEWING_DEPARTMENT,), f"220100:{F.HR_SOCIAL_SECURITY}", "表彰科科长"
    ),
    DemoAccount(
        "cc_housing_review", (Role.REVIEWING_DEPARTMENT,), f"220100:{F.HOUSING}", "住房保障科副科长"
    ),
    DemoAccount("prov_hr_review", (Role.REVIEWING_DEPARTMENT,), "省人社厅", "表彰办副主任"),
    DemoAccount(
        "ng_hr_review", (Role.REVIEWING_DEPARTMENT,), f"220102:{F.HR_SOCIAL_SECURITY}", "人事科科长"
    ),
    DemoAccount(
        "ng_housing_review", (Role.REVIEWING_DEPARTMENT,), f"220102:{F.HOUSING}", "保障科科长"
    ),
    DemoAccount(
        "cc_police", (Role.CLEARANCE_DEPARTMENT,), f"220100:{F.PUBLIC_SECURITY}", "政治处民警"
    ),
    DemoAccount(
        "ng_police", (Role.CLEARANCE_DEPARTMENT,), f"220102:{F.PUBLIC_SECURITY}", "政工室民警"
    ),
    DemoAccount("expert1", (Role.PANEL_EXPERT,), "university", "教授"),
    DemoAccount("expert2", (Role.PANEL_EXPERT,), "university", "副教授"),
    # From the 长春 body's own bureau: recused from every 长春 nominee in a panel.
    DemoAccount("expert3", (Role.PANEL_EXPERT,), f"220100:{F.HOUSING}", "高级工程师"),
    DemoAccount("assessor", (Role.ASSESSMENT_TEAM,), "省住建厅", "考核组组员"),
    # The honoree registry (H-2 … H-4): a school registers, its bureau does the initial review,
    # 南关区 HR (ng_hr_review) with the district trade-union federation reviews model workers.
    DemoAccount("school_unit", (Role.NOMINATING_UNIT,), "school", "人事干事"),
    DemoAccount("edu_bureau", (Role.NOMINATING_UNIT,), "edu_bureau", "人事科科长"),
    DemoAccount(
        "ng_union_review", (Role.REVIEWING_DEPARTMENT,), f"220102:{F.TRADE_UNION}", "经审科科长"
    ),
]


def load(units: dict) -> list[User]:
    fake = Faker("zh_CN")
    Faker.seed(20221201)
    users = []
    for account in DEMO_ACCOUNTS:
        full_name = fake.name()
        phone = fake.phone_number()
        existing = User.objects.filter(username=account.username).first()
        if existing is not None:
            users.append(existing)
            continue
        users.append(
            create_user(
                None,
                username=account.username,
                password=DEMO_PASSWORD,
                roles=account.roles,
                must_change_password=False,
                reason="演示数据",
                full_name=full_name,
                unit=units[account.unit_key],
                position=account.position,
                phone=phone,
                email=f"{account.username}@demo.laurel.invalid",
            )
        )
    return users
