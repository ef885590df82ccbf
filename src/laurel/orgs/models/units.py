from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet
from laurel.core.validators import validate_uscc


class UnitQuerySet(JurisdictionQuerySet):
    def performing(self, function: str, division=None):
        """Units that perform ``function``, optionally of exactly ``division``.

        ``Unit.objects.performing(Function.HR_SOCIAL_SECURITY, county)`` is "the HR & social
        security department of county X".
        """
        qs = self.filter(functions__function=function, is_active=True)
        if division is not None:
            qs = qs.filter(division=division)
        return qs.distinct()

    def subtree(self, unit):
        return self.filter(path__startswith=unit.path)


class Unit(AuditedModel):
    """An organisation: a department, public institution, enterprise, social organisation or
    township, placed in the administrative hierarchy.

    ``division`` is the level of government the unit belongs to (the province for provincial
    departments, a city or county otherwise); jurisdiction follows it. ``location_division`` is
    where the unit sits, down to county level, as the official forms ask (C-13, C-14).
    """

    class Kind(models.TextChoices):
        # Values and labels mirror the code table "collective_type" (C-13, 附件6 note 1).
        AGENCY = "agency", _("机关")
        CIVIL_SERVICE_MANAGED = "civil_service_managed", _("参公单位")
        PUBLIC_INSTITUTION = "public_institution", _("事业单位")
        SOCIAL_ORGANIZATION = "social_organization", _("社会组织")
        ENTERPRISE = "enterprise", _("企业")
        OTHER = "other", _("其他")

    class Ownership(models.TextChoices):
        # Code table "enterprise_ownership" (附件5 notes 2 and 3).
        STATE_OWNED = "state_owned", _("国有及国有控股企业")
        COLLECTIVE = "collective", _("集体所有制企业")
        NON_PUBLIC = "non_public", _("非公有制企业")

    class AdminLevel(models.TextChoices):
        # Code table "administrative_level"; C-5 excludes deputy-department level and above.
        PROVINCIAL = "provincial", _("省部级")
        DEPUTY_PROVINCIAL = "deputy_provincial", _("副省级")
        DEPARTMENT = "department", _("正厅级")
        DEPUTY_DEPARTMENT = "deputy_department", _("副厅级")
        DIVISION = "division", _("正处级")
        DEPUTY_DIVISION = "deputy_division", _("副处级")
        SECTION = "section", _("正科级")
        DEPUTY_SECTION = "deputy_section", _("副科级")
        STAFF = "staff", _("科员及以下")
        NONE = "none", _("无")

    DEPUTY_DEPARTMENT_OR_ABOVE = frozenset(
        {
            AdminLevel.PROVINCIAL,
            AdminLevel.DEPUTY_PROVINCIAL,
            AdminLevel.DEPARTMENT,
            AdminLevel.DEPUTY_DEPARTMENT,
        }
    )

    class Tier(models.TextChoices):
        # Code table "unit_affiliation" (隶属关系, C-14).
        PROVINCE = "province", _("省")
        PREFECTURE = "prefecture", _("市（州）")
        COUNTY = "county", _("县（区）")
        TOWNSHIP = "township", _("乡镇（街道）")
        OTHER = "other", _("其他")

    name = models.CharField(_("单位全称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级主管单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("所属行政区划（管理层级）"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    location_division = models.ForeignKey(
        "core.Division",
        verbose_name=_("所在行政区划（到县）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tier = models.CharField(_("隶属关系"), max_length=20, choices=Tier.choices)
    kind = models.CharField(_("单位性质"), max_length=30, choices=Kind.choices)
    ownership = models.CharField(
        _("企业所有制类型"), max_length=20, choices=Ownership.choices, blank=True
    )
    admin_level = models.CharField(
        _("行政级别"), max_length=30, choices=AdminLevel.choices, default=AdminLevel.NONE
    )
    is_central = models.BooleanField(
        _("驻省中直单位"),
        default=False,
        help_text=_("中央驻省单位：表彰人员登记直接报省级（H-4）。"),
    )
    is_party_committee_or_government = models.BooleanField(
        _("本级党委或政府"),
        default=False,
        help_text=_("党委、政府本身（不是其工作部门）。县级以上党委和政府不参加评选（C-5）。"),
    )
    uscc = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
    )
    address = models.CharField(_("单位地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    path = models.CharField(max_length=400, db_index=True, editable=False, default="")

    audit_exclude = ("path",)
    jurisdiction = JurisdictionPaths(unit_path="path", unit_id="pk", division_path="division__path")
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~models.Q(uscc=""),
                name="orgs_unit_unique_uscc",
            )
        ]
        permissions = [("manage_unit", "维护单位")]

    def __str__(self):
        return self.name

    @property
    def is_deputy_department_or_above(self) -> bool:
        return self.admin_level in self.DEPUTY_DEPARTMENT_OR_ABOVE

    @property
    def function_codes(self) -> set[str]:
        return {f.function for f in self.functions.all()}


class UnitFunction(AuditedModel):
    """A function a unit performs, used to route work to "the X department of division Y"."""

    class Function(models.TextChoices):
        HR_SOCIAL_SECURITY = "hr_social_security", _("人力资源和社会保障")
        HOUSING = "housing", _("住房和城乡建设")
        ORGANIZATION = "organization", _("组织（人事）")
        DISCIPLINE_INSPECTION = "discipline_inspection", _("纪检监察")
        PUBLIC_SECURITY = "public_security", _("公安")
        CIVIL_AFFAIRS = "civil_affairs", _("民政")
        ECOLOGY_ENVIRONMENT = "ecology_environment", _("生态环境")
        TAX = "tax", _("税务")
        MARKET_REGULATION = "market_regulation", _("市场监管")
        EMERGENCY_MANAGEMENT = "emergency_management", _("应急管理")
        UNITED_FRONT = "united_front", _("统战")
        FEDERATION_INDUSTRY_COMMERCE = "federation_industry_commerce", _("工商联")
        AUDIT = "audit", _("审计")
        TRADE_UNION = "trade_union", _("工会")

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="functions"
    )
    function = models.CharField(_("职能"), max_length=40, choices=Function.choices)

    class Meta:
        verbose_name = _("单位职能")
        verbose_name_plural = _("单位职能")
        constraints = [
            models.UniqueConstraint(fields=["unit", "function"], name="orgs_unitfunction_unique")
        ]

    def __str__(self):
        return f"{self.unit}：{self.get_function_display()}"

    @property
    def audit_parent(self):
        return self.unit
