from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.jurisdiction import JurisdictionQuerySet


class Recheck(AuditedModel):
    """The office's eligibility recheck of a nominee received by the province (C-8 step 3)."""

    nominee = models.OneToOneField(
        "nominations.Nominee", on_delete=models.CASCADE, related_name="recheck"
    )
    eligible = models.BooleanField(_("资格复核结论"))
    reason = models.TextField(_("说明"), blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("复核时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资格复核")
        verbose_name_plural = _("资格复核")

    def __str__(self):
        verdict = _("合格") if self.eligible else _("不合格")
        return f"{self.nominee}：{verdict}"

    @property
    def audit_parent(self):
        return self.nominee


class Panel(AuditedModel):
    """A review panel (评审组) for one category: experts vote on the eligible received nominees;
    the tally chooses the assessment candidates within the differential bound."""

    class State(models.TextChoices):
        OPEN = "open", _("评审中")
        CLOSED = "closed", _("已结束")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="panels"
    )
    category = models.ForeignKey(
        "campaigns.AwardCategory",
        verbose_name=_("类别"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=100)
    quorum = models.PositiveSmallIntegerField(
        _("最少投票专家数"), validators=[MinValueValidator(1)]
    )
    pass_ratio = models.DecimalField(
        _("通过比例"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.667"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("1"))],
        help_text=_("赞成票占参加投票（未回避）专家的比例不低于此值，如0.667表示三分之二。"),
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.OPEN)
    # A run-off (加票) among nominees tied in a closed panel: the same experts vote again on
    # those nominees only; its result orders the tied ones.
    runoff_of = models.ForeignKey(
        "self",
        verbose_name=_("加票所属评审组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runoffs",
    )
    runoff_nominees = models.ManyToManyField(
        "nominations.Nominee", verbose_name=_("加票对象"), blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("结束人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The minutes, written once when the panel closes: members and the votes each cast,
    # recusals with their reasons, quorum and threshold. Never recomputed.
    minutes = models.JSONField(_("评审纪要"), default=dict, blank=True)

    audit_state_field = "state"
    audit_exclude = ("minutes",)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审组")
        verbose_name_plural = _("评审组")
        ordering = ["campaign", "category", "pk"]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class PanelResult(AuditedModel):
    """One line of a closed panel's tally, stored when it closes (the record of the vote)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="results")
    nominee = models.ForeignKey("nominations.Nominee", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("名次"))
    approvals = models.PositiveIntegerField(_("赞成票"))
    voters = models.PositiveIntegerField(_("投票专家"))
    # Experts who took part in the vote and may judge the nominee: the base of its share of
    # approvals (null for tallies stored before it was kept; those stood by approvals).
    judges = models.PositiveIntegerField(_("应评专家"), null=True, blank=True)
    recused = models.PositiveIntegerField(_("回避"))
    mean_rank = models.FloatField(_("平均排序"), null=True, blank=True)
    passed = models.BooleanField(_("达到通过比例"))
    tied = models.BooleanField(_("票数相同"), default=False)

    class Meta:
        verbose_name = _("计票结果")
        verbose_name_plural = _("计票结果")
        ordering = ["panel", "position"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "nominee"], name="evaluation_result_unique")
        ]

    def __str__(self):
        return f"{self.panel}：{self.position}. {self.nominee}"

    @property
    def audit_parent(self):
        return self.panel


class PanelMember(AuditedModel):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(
        "accounts.User",
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="panel_memberships",
    )

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="evaluation_member_unique")
        ]

    def __str__(self):
        return f"{self.panel}：{self.expert}"

    @property
    def audit_parent(self):
        return self.panel


class Recusal(AuditedModel):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="recusals")
    expert = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey("nominations.Nominee", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("回避原因"), max_length=200)
    automatic = models.BooleanField(_("系统自动回避"), default=False)

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "expert", "nominee"], name="evaluation_recusal_unique"
            )
        ]

    def __str__(self):
        return f"{self.expert} 回避 {self.nominee}"

    @property
    def audit_parent(self):
        return self.panel


class Vote(AuditedModel):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="votes")
    expert = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey("nominations.Nominee", on_delete=models.PROTECT, related_name="+")
    approve = models.BooleanField(_("赞成"))
    rank = models.PositiveIntegerField(_("排序（选填）"), null=True, blank=True)

    # Ballots are secret: the audit trail records that a vote was cast, never how (the
    # stored tally of the closed panel is the record of the result).
    audit_mask = ("approve", "rank")

    class Meta:
        verbose_name = _("投票")
        verbose_name_plural = _("投票")
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "expert", "nominee"], name="evaluation_vote_unique"
            )
        ]

    def __str__(self):
        return f"{self.panel}·{self.nominee}"

    @property
    def audit_parent(self):
        return self.panel


class Candidate(AuditedModel):
    """An assessment candidate (考核对象) chosen from the panel's tally."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="candidates")
    nominee = models.OneToOneField(
        "nominations.Nominee", on_delete=models.PROTECT, related_name="candidacy"
    )

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")

    def __str__(self):
        return str(self.nominee)

    @property
    def audit_parent(self):
        return self.panel
