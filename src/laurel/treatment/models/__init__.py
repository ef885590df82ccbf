"""Treatment of honorees (H-7): the policy that says which honours entitle which treatments
(data, versioned by effective date, like a campaign definition), and each filed person's
entitlements computed from it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet


class Policy(AuditedModel):
    """One version of the treatment policy, in force from ``effective_from`` until the next."""

    name = models.CharField(_("政策名称"), max_length=200)
    effective_from = models.DateField(_("施行日期"), unique=True)
    basis = models.TextField(_("依据文件"), blank=True)
    example = models.BooleanField(
        _("示例数值"),
        default=False,
        help_text=_("文件中的金额是示例，须由办公室按本省文件核定后重新装载。"),
    )
    source = models.TextField(_("定义文件"), editable=False)
    source_name = models.CharField(_("文件名"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("装载时间"), auto_now=True)

    audit_exclude = ("loaded_at", "source")

    class Meta:
        verbose_name = _("待遇政策")
        verbose_name_plural = _("待遇政策")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.name}（{self.effective_from:%Y-%m-%d}起施行）"


class Treatment(AuditedModel):
    """One treatment of a policy: who is entitled (honour levels and kinds, conditions), how much
    (per level), how often, and which level of government pays."""

    class Kind(models.TextChoices):
        ONE_OFF = "one_off", _("一次性奖励")
        MONTHLY_ALLOWANCE = "monthly_allowance", _("荣誉津贴（按月）")
        YEARLY_ALLOWANCE = "yearly_allowance", _("荣誉津贴（按年）")
        PENSION_SUPPLEMENT = "pension_supplement", _("退休金补贴")
        HEALTH_CHECK = "health_check", _("健康体检")
        RECUPERATION = "recuperation", _("疗休养")
        HOLIDAY_VISIT = "holiday_visit", _("节日走访慰问")

    class Period(models.TextChoices):
        ONCE = "once", _("一次")
        MONTH = "month", _("每月")
        YEAR = "year", _("每年")

    class Status(models.TextChoices):
        ANY = "any", _("不限")
        RETIRED = "retired", _("已离退休")
        WORKING = "working", _("在职")

    class Payer(models.TextChoices):
        PROVINCE = "province", _("省级财政")
        CITY = "city", _("市（州）级财政")
        COUNTY = "county", _("县（市、区）级财政")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="treatments")
    key = models.SlugField(_("代码"), max_length=60)
    name = models.CharField(_("待遇名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    period = models.CharField(_("周期"), max_length=10, choices=Period.choices)
    # {"national": "500.00", "provincial": "300.00"}: the amount per honour level, in yuan;
    # a level not listed does not entitle; null amounts are services (health checks).
    amounts = models.JSONField(_("标准（元）"), default=dict)
    kinds = models.JSONField(_("适用的荣誉类别"), default=list, blank=True)
    status = models.CharField(_("在职或离退休"), max_length=10, choices=Status.choices)
    min_age = models.PositiveSmallIntegerField(_("年龄不低于"), null=True, blank=True)
    awarded_since = models.DateField(_("授予时间不早于"), null=True, blank=True)
    payer = models.CharField(_("经费承担"), max_length=10, choices=Payer.choices)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("待遇项目")
        verbose_name_plural = _("待遇项目")
        ordering = ["policy", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "key"], name="treatment_key_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def audit_parent(self):
        return self.policy

    @property
    def status_condition(self) -> bool:
        """Whether working or retired is a condition of this treatment."""
        return self.status != self.Status.ANY

    @property
    def per_honour(self) -> bool:
        """A one-off award is due for each honour; an allowance once, at the highest level."""
        return self.period == self.Period.ONCE


class Entitlement(AuditedModel):
    """A person's entitlement to a treatment, from ``starts_on`` until ``ends_on`` (exclusive;
    open while null), because of one honour under one rule of the policy."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="entitlements"
    )
    honour = models.ForeignKey(
        "registry.Honour", on_delete=models.CASCADE, related_name="entitlements"
    )
    treatment = models.ForeignKey(Treatment, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(
        _("标准（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)

    jurisdiction = JurisdictionPaths(
        unit_path="person__unit__path",
        unit_id="person__unit_id",
        division_path="person__division__path",
    )
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("待遇资格")
        verbose_name_plural = _("待遇资格")
        ordering = ["person", "treatment__sort_order", "starts_on", "pk"]
        indexes = [models.Index(fields=["treatment", "ends_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "honour", "treatment", "starts_on"],
                name="treatment_entitlement_unique",
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.treatment}"

    @property
    def audit_parent(self):
        return self.person


from laurel.treatment.models.hardship import (  # noqa: E402
    Cause,
    HardshipApplication,
    HardshipBand,
    HardshipEvidence,
    HardshipOpinion,
    Payment,
)
from laurel.treatment.models.reviews import StatusReturn, StatusReview  # noqa: E402

__all__ = [
    "Cause",
    "Entitlement",
    "HardshipApplication",
    "HardshipBand",
    "HardshipEvidence",
    "HardshipOpinion",
    "Payment",
    "Policy",
    "StatusReturn",
    "StatusReview",
    "Treatment",
]
