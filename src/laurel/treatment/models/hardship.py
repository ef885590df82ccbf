"""Hardship assistance (困难帮扶, H-7): an application for a filed honoree, made by the unit that
registers them (or their township / community: H-2), reviewed through the registration's tiers
(H-3, H-4), approved by the province with an amount from the office's bands, then paid by a
finance office. Confidential: never publicly noticed; the circumstances are encrypted at rest,
and opening the evidence is written to the audit trail like an unmasking (H-6)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.fields import EncryptedTextField
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet
from laurel.core.models import PaperOpinion
from laurel.orgs.models import UnitFunction


class HardshipBand(AuditedModel):
    """A band of assistance (一档、二档 …) the office defines: the province approves an amount
    within one band's range."""

    name = models.CharField(_("档次名称"), max_length=50, unique=True)
    low = models.DecimalField(
        _("最低金额（元）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    high = models.DecimalField(
        _("最高金额（元）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    description = models.CharField(_("适用情形"), max_length=300, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("帮扶档次")
        verbose_name_plural = _("帮扶档次")
        ordering = ["sort_order", "low", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(high__gte=models.F("low")), name="treatment_band_range"
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.low}—{self.high}元）"


class Cause(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    DISASTER = "disaster", _("因灾")
    UNEMPLOYMENT = "unemployment", _("失业")
    OTHER = "other", _("其他")


class HardshipApplication(AuditedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("审核中")
        SENT_BACK = "sent_back", _("退回修改")
        APPROVED = "approved", _("已批准")
        PAID = "paid", _("已发放")
        REJECTED = "rejected", _("不予帮扶")

    class Tier(models.TextChoices):  # the registration's tiers (H-4)
        SUPERVISOR = "supervisor", _("主管部门（乡镇、街道）初审")
        COUNTY = "county", _("县级")
        CITY = "city", _("市级")
        PROVINCE = "province", _("省级审批")

    class Payer(models.TextChoices):
        PROVINCE = "province", _("省级财政")
        CITY = "city", _("市（州）级财政")
        COUNTY = "county", _("县（市、区）级财政")

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("表彰人员"),
        on_delete=models.PROTECT,
        related_name="hardship_applications",
    )
    applying_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    route = models.JSONField(_("审核路径"), default=list)
    current_tier = models.CharField(_("当前层级"), max_length=20, choices=Tier.choices, blank=True)
    round = models.PositiveSmallIntegerField(_("上报轮次"), default=0)
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    # Frozen when submitted, so that a change of the person's honours mid-way does not change
    # who signs: {tier: {function: unit id}} ("" → the supervising unit), and the same units
    # as rows, for the filter of who may see the application.
    panel = models.JSONField(_("各级审核单位"), default=dict, editable=False)
    reviewing_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("审核单位"), related_name="+", blank=True, editable=False
    )

    household_size = models.PositiveSmallIntegerField(
        _("家庭人口"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    income_per_head = models.DecimalField(
        _("家庭人均月收入（元）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    causes = models.JSONField(_("困难原因"), default=list)
    circumstances = EncryptedTextField(_("困难情况说明"), max_length=2000)

    band = models.ForeignKey(
        HardshipBand,
        verbose_name=_("帮扶档次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(
        _("批准金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    payer = models.CharField(_("经费承担"), max_length=10, choices=Payer.choices, blank=True)
    payer_name = models.CharField(_("支付财政部门"), max_length=100, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    approval_number = models.CharField(_("批准文号"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    audit_mask = ("circumstances",)
    audit_state_field = "state"
    jurisdiction = JurisdictionPaths(
        unit_path="applying_unit__path",
        unit_id="applying_unit_id",
        division_path="division__path",
    )
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("困难帮扶申请")
        verbose_name_plural = _("困难帮扶申请")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["state", "payer_name"])]

    def __str__(self):
        return _("困难帮扶申请 %(n)s号") % {"n": self.pk}

    @property
    def audit_parent(self):
        return self.person

    @property
    def classified(self) -> bool:
        return self.person.classified

    def cause_labels(self) -> list[str]:
        labels = dict(Cause.choices)
        return [str(labels.get(c, c)) for c in self.causes]


class HardshipOpinion(PaperOpinion, AuditedModel):
    """A signed-and-sealed opinion of one department at one tier (online or on paper)."""

    class Decision(models.TextChoices):
        AGREE = "agree", _("同意")
        SEND_BACK = "send_back", _("退回修改")
        REJECT = "reject", _("不予帮扶")

    application = models.ForeignKey(
        HardshipApplication, on_delete=models.CASCADE, related_name="opinions"
    )
    round = models.PositiveSmallIntegerField(_("上报轮次"))
    tier = models.CharField(_("层级"), max_length=20, choices=HardshipApplication.Tier.choices)
    function = models.CharField(_("职能"), max_length=40, blank=True)
    department = models.ForeignKey(
        "orgs.Unit", verbose_name=_("审核单位"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("意见"), max_length=20, choices=Decision.choices)
    text = models.TextField(_("审核意见"), blank=True)
    officer_name = models.CharField(_("负责人"), max_length=50)
    decided_on = models.DateField(_("日期"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("帮扶审核意见")
        verbose_name_plural = _("帮扶审核意见")
        ordering = ["application", "round", "pk"]

    def audit_display_function(self, raw: str) -> str:
        return str(dict(UnitFunction.Function.choices).get(raw, raw))

    def __str__(self):
        return f"{self.get_tier_display()} {self.department}：{self.get_decision_display()}"

    @property
    def audit_parent(self):
        return self.application


class HardshipEvidence(AuditedModel):
    """A scan proving the hardship (a diagnosis, a disability certificate, a disaster report, a
    household income statement). PDF, JPEG or PNG."""

    application = models.ForeignKey(
        HardshipApplication, on_delete=models.CASCADE, related_name="evidence_files"
    )
    title = models.CharField(_("材料名称"), max_length=100)
    file = models.CharField(_("文件"), max_length=200, editable=False)
    content_type = models.CharField(_("类型"), max_length=50, editable=False)
    size = models.PositiveIntegerField(_("大小（字节）"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("帮扶证明材料")
        verbose_name_plural = _("帮扶证明材料")
        ordering = ["application", "pk"]

    def __str__(self):
        return self.title

    @property
    def audit_parent(self):
        return self.application


class Payment(AuditedModel):
    """Money paid on an approved application by its finance office, as its receipt says."""

    application = models.ForeignKey(
        HardshipApplication, on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField(_("支付日期"))
    amount = models.DecimalField(
        _("支付金额（元）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    reference = models.CharField(_("支付凭证号"), max_length=100)
    payer_name = models.CharField(_("支付财政部门"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    audit_exclude = ("recorded_at",)
    jurisdiction = JurisdictionPaths(
        unit_path="application__applying_unit__path",
        unit_id="application__applying_unit_id",
        division_path="application__division__path",
    )
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶资金支付")
        verbose_name_plural = _("帮扶资金支付")
        ordering = ["application", "paid_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reference"], name="treatment_payment_reference_unique"
            )
        ]

    def __str__(self):
        return f"{self.paid_on:%Y-%m-%d} {self.amount}元"

    @property
    def audit_parent(self):
        return self.application
