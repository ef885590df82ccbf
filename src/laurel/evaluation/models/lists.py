from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel


class Assessment(AuditedModel):
    """An assessment team member's findings on a candidate (考核, C-8 step 4)."""

    nominee = models.ForeignKey(
        "nominations.Nominee", on_delete=models.PROTECT, related_name="assessments"
    )
    assessor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recommend = models.BooleanField(_("考核结论：同意列入初选名单"))
    findings = models.TextField(_("考核情况"))

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        constraints = [
            models.UniqueConstraint(
                fields=["nominee", "assessor"], name="evaluation_assessment_unique"
            )
        ]

    def __str__(self):
        return f"{self.nominee}：{self.assessor}"

    @property
    def audit_parent(self):
        return self.nominee


class PreliminaryList(AuditedModel):
    """The preliminary list (初选名单) per category, re-examined by the leading group."""

    class State(models.TextChoices):
        DRAFT = "draft", _("起草中")
        SUBMITTED = "submitted", _("报领导小组复审")
        APPROVED = "approved", _("领导小组复审同意")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        "campaigns.AwardCategory", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    justifications = models.JSONField(_("超出原则性比例的说明"), default=dict, blank=True)
    leading_group_note = models.TextField(_("领导小组复审意见"), blank=True)
    submitted_at = models.DateTimeField(_("报领导小组时间"), null=True, blank=True)
    # The re-examination is the leading group's, at a meeting: its date and the members present
    # (of the plan's 附件1-1), more than half of them (C-8 step 4).
    meeting_on = models.DateField(_("复审会议日期"), null=True, blank=True)
    attendees = models.ManyToManyField(
        "campaigns.CampaignMember", verbose_name=_("出席成员"), blank=True, related_name="+"
    )

    audit_state_field = "state"

    class Meta:
        verbose_name = _("初选名单")
        verbose_name_plural = _("初选名单")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "category"], name="evaluation_list_unique")
        ]

    def __str__(self):
        return f"{self.category}初选名单"


class ListEntry(AuditedModel):
    list = models.ForeignKey(PreliminaryList, on_delete=models.CASCADE, related_name="entries")
    nominee = models.OneToOneField(
        "nominations.Nominee", on_delete=models.PROTECT, related_name="list_entry"
    )

    class Meta:
        verbose_name = _("初选名单对象")
        verbose_name_plural = _("初选名单对象")

    def __str__(self):
        return str(self.nominee)

    @property
    def audit_parent(self):
        return self.list
