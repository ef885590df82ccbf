from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.fields import EncryptedTextField
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet


class PublicNotice(AuditedModel):
    """A public notice (公示) of nominees: at the nominating unit (C-8 step 1) or provincial
    (C-8 step 5). It lasts a number of working days on the official calendar (C-16)."""

    class Level(models.TextChoices):
        UNIT = "unit", _("单位公示")
        PROVINCE = "province", _("省级公示")

    class State(models.TextChoices):
        PUBLISHED = "published", _("公示中")
        CLOSED = "closed", _("已结束")
        # Taken down before its end, with a recorded reason: it counts for nothing (void).
        CANCELLED = "cancelled", _("已撤销（作废）")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="notices"
    )
    level = models.CharField(_("公示层级"), max_length=20, choices=Level.choices)
    publisher = models.ForeignKey(
        "orgs.Unit", verbose_name=_("公示单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    starts_on = models.DateField(_("开始日期"))
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    ends_on = models.DateField(_("结束日期"))
    contact = models.CharField(_("受理异议的联系人及电话"), max_length=200)
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.PUBLISHED
    )
    closed_note = models.TextField(_("结束说明"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    cancelled_reason = models.TextField(_("撤销原因"), blank=True)

    audit_state_field = "state"
    jurisdiction = JurisdictionPaths(
        unit_path="publisher__path",
        unit_id="publisher_id",
        division_path="publisher__division__path",
    )
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def status_label(self) -> str:
        """The state as the staff pages say it: a published notice whose period has ended reads
        公示期满 (its state changes only when the office ends it), one not yet begun 未开始."""
        if self.state == self.State.PUBLISHED:
            today = timezone.localdate()
            if today < self.starts_on:
                return str(_("未开始"))
            if today > self.ends_on:
                return str(_("公示期满"))
        return str(self.get_state_display())

    def is_running(self, today=None) -> bool:
        """On the public page and taking objections: published, started, not ended, in a
        campaign that has not closed."""
        today = today or timezone.localdate()
        return (
            self.state == self.State.PUBLISHED
            and self.starts_on <= today <= self.ends_on
            and self.campaign.is_running
        )

    def has_run(self, today=None) -> bool:
        """Its whole period has passed on the public page (it counts for C-8); a cancelled
        notice never has."""
        today = today or timezone.localdate()
        return self.state != self.State.CANCELLED and self.ends_on < today


class NoticeEntry(AuditedModel):
    """One nominee on a notice, as the public read it: the name, unit, honour and short deeds
    summary are a copy taken when the notice was published, and so is the ID number (encrypted,
    never shown): a person changed on the nominee afterwards is not the person the notice
    showed, and needs a notice of their own (C-8)."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="entries")
    nominee = models.ForeignKey(
        "nominations.Nominee", on_delete=models.PROTECT, related_name="notice_entries"
    )
    name = models.CharField(_("名称/姓名"), max_length=100, blank=True)
    unit_name = models.CharField(_("单位"), max_length=200, blank=True)
    honour_title = models.CharField(_("拟授予称号"), max_length=100, blank=True)
    id_number = EncryptedTextField(_("身份证号码"), max_length=18, blank=True)
    summary = models.TextField(_("事迹摘要"))
    sort_order = models.PositiveIntegerField(default=0)

    audit_mask = ("id_number",)

    class Meta:
        verbose_name = _("公示对象")
        verbose_name_plural = _("公示对象")
        ordering = ["notice", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "nominee"], name="public_entry_unique")
        ]

    def __str__(self):
        return f"{self.notice}：{self.name or self.nominee}"

    def shows(self, nominee) -> bool:
        """The notice showed this nominee's present person (name and ID number)."""
        return self.name == nominee.name and (self.id_number or "") == (nominee.id_number or "")

    @property
    def audit_parent(self):
        return self.notice


class Objection(AuditedModel):
    """An objection (异议) filed by anyone against a nominee on a notice."""

    class State(models.TextChoices):
        OPEN = "open", _("待核查")
        ASSIGNED = "assigned", _("核查中")
        UNFOUNDED = "unfounded", _("经核查不属实")
        FOUNDED = "founded", _("经核查属实")

    reference = models.CharField(_("受理编号"), max_length=20, unique=True)
    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    nominee = models.ForeignKey(
        "nominations.Nominee", on_delete=models.PROTECT, related_name="objections"
    )
    content = models.TextField(_("异议内容"))
    contact = EncryptedTextField(_("联系方式（选填）"), max_length=100, blank=True)
    filed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.OPEN)
    assigned_to = models.ForeignKey(
        "accounts.User",
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verifier_note = models.TextField(_("核查情况"), blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    audit_state_field = "state"
    audit_mask = ("contact",)
    jurisdiction = JurisdictionPaths(
        unit_path="nominee__nominating_unit__path",
        unit_id="nominee__nominating_unit_id",
        division_path="nominee__division__path",
    )
    objects = JurisdictionQuerySet.as_manager()

    OPEN_STATES = (State.OPEN, State.ASSIGNED)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-filed_at", "-pk"]

    def __str__(self):
        return f"{self.reference}（{self.nominee}）"

    @property
    def is_founded(self) -> bool:
        """Verified as true: the nominee cannot go on (C-8)."""
        return self.state == self.State.FOUNDED

    @property
    def audit_parent(self):
        return self.nominee
