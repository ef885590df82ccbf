"""Demo units: the provincial departments of the Jilin plan, every city and county's HR and
housing departments, clearance departments for 长春, and a few nominating units (synthetic names
for enterprises and associations)."""

from __future__ import annotations

import random

from laurel.core.models import Division
from laurel.core.synthetic import social_credit_code
from laurel.orgs.models import Unit, UnitFunction
from laurel.orgs.services.units import create_unit

F = UnitFunction.Function
K = Unit.Kind
L = Unit.AdminLevel
T = Unit.Tier

PROVINCIAL_FUNCTION_UNITS = [
    ("吉林省人力资源和社会保障厅", "省人社厅", K.AGENCY, [F.HR_SOCIAL_SECURITY]),
    ("吉林省住房和城乡建设厅", "省住建厅", K.AGENCY, [F.HOUSING]),
    ("中共吉林省委组织部", "省委组织部", K.AGENCY, [F.ORGANIZATION]),
    ("吉林省纪委监委机关", "省纪委监委", K.AGENCY, [F.DISCIPLINE_INSPECTION]),
    ("吉林省公安厅", "省公安厅", K.AGENCY, [F.PUBLIC_SECURITY]),
    ("吉林省民政厅", "省民政厅", K.AGENCY, [F.CIVIL_AFFAIRS]),
    ("吉林省生态环境厅", "省生态环境厅", K.AGENCY, [F.ECOLOGY_ENVIRONMENT]),
    ("国家税务总局吉林省税务局", "省税务局", K.AGENCY, [F.TAX]),
    ("吉林省市场监督管理厅", "省市场监管厅", K.AGENCY, [F.MARKET_REGULATION]),
    ("吉林省应急管理厅", "省应急厅", K.AGENCY, [F.EMERGENCY_MANAGEMENT]),
    ("中共吉林省委统战部", "省委统战部", K.AGENCY, [F.UNITED_FRONT]),
    ("吉林省工商业联合会", "省工商联", K.CIVIL_SERVICE_MANAGED, [F.FEDERATION_INDUSTRY_COMMERCE]),
    ("吉林省审计厅", "省审计厅", K.AGENCY, [F.AUDIT]),
    ("吉林省总工会", "省总工会", K.CIVIL_SERVICE_MANAGED, [F.TRADE_UNION]),
]

# Attachment 1-3: provincial-level units that nominate (those not already listed above).
PROVINCIAL_NOMINATING_UNITS = [
    ("吉林省高级人民法院", "省高级人民法院", K.AGENCY, None),
    ("吉林省发展和改革委员会", "省发展改革委", K.AGENCY, None),
    ("吉林省财政厅", "省财政厅", K.AGENCY, None),
    ("吉林省自然资源厅", "省自然资源厅", K.AGENCY, None),
    ("吉林省农业农村厅", "省农业农村厅", K.AGENCY, None),
    ("吉林省林业和草原局", "省林草局", K.AGENCY, None),
    ("财政部吉林监管局", "财政部吉林监管局", K.AGENCY, None),
    ("审计署长春特派员办事处", "审计署长春特派办", K.AGENCY, None),
    (
        "中国建设银行股份有限公司吉林省分行",
        "建设银行吉林省分行",
        K.ENTERPRISE,
        Unit.Ownership.STATE_OWNED,
    ),
    ("国家开发银行吉林省分行", "国开行吉林省分行", K.ENTERPRISE, Unit.Ownership.STATE_OWNED),
    ("中国农业发展银行吉林省分行", "农发行吉林省分行", K.ENTERPRISE, Unit.Ownership.STATE_OWNED),
    ("吉林省人民政府办公厅", "省政府办公厅", K.AGENCY, None),
]

# 驻省中直单位: their honorees' registrations go straight to the province (H-4).
CENTRAL_UNITS = {
    "财政部吉林监管局",
    "审计署长春特派员办事处",
    "中国建设银行股份有限公司吉林省分行",
    "国家开发银行吉林省分行",
    "中国农业发展银行吉林省分行",
}

CLEARANCE_PATTERNS = [
    ("中共{p}委组织部", F.ORGANIZATION, K.AGENCY),
    ("{p}纪委监委机关", F.DISCIPLINE_INSPECTION, K.AGENCY),
    ("{p}公安局", F.PUBLIC_SECURITY, K.AGENCY),
    ("{p}民政局", F.CIVIL_AFFAIRS, K.AGENCY),
    ("{p}生态环境局", F.ECOLOGY_ENVIRONMENT, K.AGENCY),
    ("国家税务总局{p}税务局", F.TAX, K.AGENCY),
    ("{p}市场监督管理局", F.MARKET_REGULATION, K.AGENCY),
    ("{p}应急管理局", F.EMERGENCY_MANAGEMENT, K.AGENCY),
    ("中共{p}委统战部", F.UNITED_FRONT, K.AGENCY),
    ("{p}工商业联合会", F.FEDERATION_INDUSTRY_COMMERCE, K.CIVIL_SERVICE_MANAGED),
    ("{p}审计局", F.AUDIT, K.AGENCY),
]


def _ensure(name: str, **fields) -> Unit:
    existing = Unit.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return create_unit(None, name=name, reason="演示数据", **fields)


def local_name(division: Division) -> str:
    """How a locality prefixes its departments: districts carry their city's name."""
    if division.level == Division.Level.COUNTY and division.name.endswith("区"):
        return f"{division.parent.name}{division.name}"
    return division.name


def load() -> dict[str, Unit]:
    rng = random.Random(20221201)
    province = Division.objects.get(code="220000")
    chaoyang = Division.objects.get(code="220104")
    units: dict[str, Unit] = {}
    for name, short, kind, functions in PROVINCIAL_FUNCTION_UNITS:
        units[short] = _ensure(
            name,
            short_name=short,
            division=province,
            location_division=chaoyang,
            tier=T.PROVINCE,
            kind=kind,
            admin_level=L.DEPARTMENT,
            uscc=social_credit_code(rng, "220000", "11"),
            functions=functions,
            sort_order=10,
        )
    for name, short, kind, ownership in PROVINCIAL_NOMINATING_UNITS:
        units[short] = _ensure(
            name,
            short_name=short,
            division=province,
            location_division=chaoyang,
            tier=T.PROVINCE,
            kind=kind,
            ownership=ownership or "",
            admin_level=L.NONE if kind == K.ENTERPRISE else L.DEPARTMENT,
            uscc=social_credit_code(rng, "220000", "91" if kind == K.ENTERPRISE else "11"),
            is_central=name in CENTRAL_UNITS,
            sort_order=20,
        )

    # HR & social security and housing departments of every city and county.
    for division in Division.objects.exclude(level=Division.Level.PROVINCE).select_related(
        "parent"
    ):
        prefix = local_name(division)
        is_county = division.level == Division.Level.COUNTY
        level = L.SECTION if is_county else L.DIVISION
        if division.code == "220100":
            level = L.DEPUTY_DEPARTMENT  # 长春 is a sub-provincial city
        location = division if is_county else None
        for suffix, function in (
            ("人力资源和社会保障局", F.HR_SOCIAL_SECURITY),
            ("住房和城乡建设局", F.HOUSING),
        ):
            unit = _ensure(
                f"{prefix}{suffix}",
                division=division,
                location_division=location,
                tier=T.COUNTY if is_county else T.PREFECTURE,
                kind=K.AGENCY,
                admin_level=level,
                functions=[function],
                sort_order=30 if not is_county else 40,
            )
            units[f"{division.code}:{function}"] = unit

    # Clearance departments of 长春市 and 南关区 (C-9).
    for code, tier, level in (
        ("220100", T.PREFECTURE, L.DEPUTY_DEPARTMENT),
        ("220102", T.COUNTY, L.SECTION),
    ):
        division = Division.objects.get(code=code)
        prefix = local_name(division)
        for pattern, function, kind in CLEARANCE_PATTERNS:
            units[f"{code}:{function}"] = _ensure(
                pattern.format(p=prefix),
                division=division,
                location_division=division if tier == T.COUNTY else None,
                tier=tier,
                kind=kind,
                admin_level=level,
                functions=[function],
                sort_order=50,
            )

    nanguan = Division.objects.get(code="220102")
    changchun = Division.objects.get(code="220100")
    cc_housing = units[f"220100:{F.HOUSING}"]
    units["renewal_center"] = _ensure(
        "长春市城市更新和房屋征收服务中心",
        parent=cc_housing,
        division=changchun,
        location_division=nanguan,
        tier=T.PREFECTURE,
        kind=K.PUBLIC_INSTITUTION,
        admin_level=L.SECTION,
        uscc=social_credit_code(rng, "220100", "12"),
    )
    units["soe"] = _ensure(
        "长春安居建设投资集团有限公司",
        parent=cc_housing,
        division=changchun,
        location_division=nanguan,
        tier=T.PREFECTURE,
        kind=K.ENTERPRISE,
        ownership=Unit.Ownership.STATE_OWNED,
        uscc=social_credit_code(rng, "220102", "91"),
    )
    units["private"] = _ensure(
        "吉林省鑫筑建设工程有限公司",
        division=nanguan,
        location_division=nanguan,
        tier=T.COUNTY,
        kind=K.ENTERPRISE,
        ownership=Unit.Ownership.NON_PUBLIC,
        uscc=social_credit_code(rng, "220102", "91"),
    )
    units["association"] = _ensure(
        "长春市物业服务行业协会",
        division=changchun,
        location_division=nanguan,
        tier=T.PREFECTURE,
        kind=K.SOCIAL_ORGANIZATION,
        uscc=social_credit_code(rng, "220100", "51"),
    )
    units["subdistrict"] = _ensure(
        "长春市南关区南岭街道办事处",
        parent=units[f"220102:{F.HOUSING}"],
        division=nanguan,
        location_division=nanguan,
        tier=T.TOWNSHIP,
        kind=K.AGENCY,
        admin_level=L.SECTION,
    )
    # Trade-union federations of 长春 and 南关区: they review model workers' registrations (H-3).
    for code, tier in (("220100", T.PREFECTURE), ("220102", T.COUNTY)):
        division = Division.objects.get(code=code)
        units[f"{code}:{F.TRADE_UNION}"] = _ensure(
            f"{local_name(division)}总工会",
            division=division,
            location_division=division if tier == T.COUNTY else None,
            tier=tier,
            kind=K.CIVIL_SERVICE_MANAGED,
            functions=[F.TRADE_UNION],
            sort_order=50,
        )
    units["edu_bureau"] = _ensure(
        "长春市南关区教育局",
        division=nanguan,
        location_division=nanguan,
        tier=T.COUNTY,
        kind=K.AGENCY,
        admin_level=L.SECTION,
    )
    units["school"] = _ensure(
        "长春市南关区实验小学",
        parent=units["edu_bureau"],
        division=nanguan,
        location_division=nanguan,
        tier=T.COUNTY,
        kind=K.PUBLIC_INSTITUTION,
        uscc=social_credit_code(rng, "220102", "12"),
    )
    units["university"] = _ensure(
        "吉林建筑大学",
        division=province,
        location_division=Division.objects.get(code="220106"),
        tier=T.PROVINCE,
        kind=K.PUBLIC_INSTITUTION,
        admin_level=L.DEPARTMENT,
        uscc=social_credit_code(rng, "220000", "12"),
    )
    return units
