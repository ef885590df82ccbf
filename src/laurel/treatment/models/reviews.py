"""The yearly status review (动态管理, H-7): the office opens a review for a year; each filed,
living honoree's registering unit returns their status (living, deceased with the date,
retired, moved, contact), online or on paper; the return is checked through the
registration's tiers (H-4) and filed by the province, which writes it into the registry — a
death or retirement then changes the entitlements from its date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.fields import EncryptedTextField
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet
from laurel.core.models import PaperOpinion


class StatusReview(AuditedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    name = models.CharField(_("名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    document_number = models.CharField(_("通知文号"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    units_due = models.DateField(_("单位报送截止"))
    counties_due = models.DateField(_("县（市、区）完成核实"))
    cities_due = models.DateField(_("市（州）完成核实"))
    province_due = models.DateField(_("省级完成归档"))

    audit_state_field = "status"

    class Meta:
        verbose_name = _("表彰人员动态管理")
        verbose_name_plural = _("表彰人员动态管理")
        ordering = ["-year"]

    def __str__(self):
        return self.name


class StatusReturn(PaperOpinion, AuditedModel):
    """One honoree's return in a review: what the unit reports, and how far it has been checked.
    ``on_paper``/``scan_file``: the unit answered on paper with its seal (the office typed it)."""

    class State(models.TextChoices):
        PENDING = "pending", _("待报送")
        SUBMITTED = "submitted", _("核实中")
        SENT_BACK = "sent_back", _("退回重报")
        FILED = "filed", _("已归档")

    class Outcome(models.TextChoices):
        UNCHANGED = "unchanged", _("健在，情况无变化")
        RETIRED = "retired", _("已退休")
        MOVED = "moved", _("工作单位或联系方式变动")
        DECEASED = "deceased", _("已去世")

    class Tier(models.TextChoices):
        SUPERVISOR = "supervisor", _("主管部门（乡镇、街道）核实")
        COUNTY = "county", _("县级核实")
        CITY = "city", _("市级核实")
        PROVINCE = "province", _("省级归档")

    review = models.ForeignKey(StatusReview, on_delete=models.CASCADE, related_name="returns")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("表彰人员"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("报送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PENDING)
    route = models.JSONField(_("核实路径"), default=list)
    current_tier = models.CharField(_("当前层级"), max_length=20, choices=Tier.choices, blank=True)
    round = models.PositiveSmallIntegerField(_("报送轮次"), default=0)
    # Frozen when reported: {tier: checking unit id} — and the same units as rows, for the filter
    # of who may see the return (the reporting unit, its checkers and the office; H-6).
    panel = models.JSONField(_("各级核实单位"), default=dict, editable=False)
    checking_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("核实单位"), related_name="+", blank=True, editable=False
    )

    outcome = models.CharField(_("人员状态"), max_length=20, choices=Outcome.choices, blank=True)
    died_on = models.DateField(_("去世日期"), null=True, blank=True)
    retired_on = models.DateField(_("退休日期"), null=True, blank=True)
    unit_name = models.CharField(_("现工作单位"), max_length=100, blank=True)
    phone = EncryptedTextField(_("联系电话"), max_length=30, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    # [{"tier", "department", "officer", "on", "decision", "text"}] — who checked, at each tier
    checks = models.JSONField(_("核实记录"), default=list)

    audit_mask = ("phone",)
    audit_state_field = "state"
    jurisdiction = JurisdictionPaths(
        unit_path="unit__path", unit_id="unit_id", division_path="division__path"
    )
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员状态报送")
        verbose_name_plural = _("人员状态报送")
        ordering = ["review", "division__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="treatment_return_unique")
        ]
        indexes = [models.Index(fields=["review", "state", "current_tier"])]

    def __str__(self):
        return f"{self.review.year} · {self.person}"

    @property
    def audit_parent(self):
        return self.review

    @property
    def classified(self) -> bool:
        return self.person.classified
