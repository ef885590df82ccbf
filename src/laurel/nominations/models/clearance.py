from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet
from laurel.core.models import PaperOpinion
from laurel.orgs.models import UnitFunction


class ClearanceRequest(PaperOpinion, AuditedModel):
    """A request for one department's opinion on a nominee (征求意见, C-9); the recorded
    opinion, officer and date are the electronic form of the department's seal (盖章)."""

    class State(models.TextChoices):
        PENDING = "pending", _("待回复")
        AGREED = "agreed", _("同意")
        DISAGREED = "disagreed", _("不同意")
        VERIFYING = "verifying", _("需核实")

    class Decision(models.TextChoices):
        NONE = "", _("—")
        PROCEED = "proceed", _("办公室决定继续推荐")
        STOP = "stop", _("办公室决定不予推荐")

    nominee = models.ForeignKey(
        "nominations.Nominee", on_delete=models.CASCADE, related_name="clearances"
    )
    function = models.CharField(_("征求意见部门"), max_length=40)
    rule = models.CharField(_("依据"), max_length=200)
    department = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clearance_requests",
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PENDING)
    opinion = models.TextField(_("意见"), blank=True)
    officer_name = models.CharField(_("经办人"), max_length=30, blank=True)
    decided_on = models.DateField(_("日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office_decision = models.CharField(
        _("办公室决定"), max_length=20, choices=Decision.choices, blank=True
    )
    office_note = models.TextField(_("办公室意见"), blank=True)
    due_on = models.DateField(_("回复期限"), null=True, blank=True)
    opened_on = models.DateField(_("征求意见日期"), null=True, blank=True)

    audit_state_field = "state"
    jurisdiction = JurisdictionPaths(
        unit_path="nominee__nominating_unit__path",
        unit_id="nominee__nominating_unit_id",
        division_path="nominee__division__path",
    )
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["nominee", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominee", "function"], name="nominations_clearance_unique"
            )
        ]

    def __str__(self):
        return f"{self.nominee}：{self.function_label}"

    def audit_display_function(self, raw: str) -> str:
        return ClearanceRequest(nominee=self.nominee, function=raw).function_label

    @property
    def function_label(self) -> str:
        if self.function == "sector_authority":
            return str(_("业务主管单位（行业管理部门）"))
        standard = dict(UnitFunction.Function.choices)
        if self.function in standard:
            return str(standard[self.function])
        declared = {d["key"]: d["name"] for d in self.nominee.campaign.clearance_departments}
        return declared.get(self.function) or str(_("方案未列明的征求意见部门"))

    @property
    def is_overdue(self) -> bool:
        """Still unanswered after the reply date the request gave."""
        return (
            self.state == self.State.PENDING
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )

    @property
    def settled(self) -> bool:
        """Nothing more is needed from this department for the nominee to move on."""
        return self.state == self.State.AGREED or self.office_decision == self.Decision.PROCEED

    @property
    def audit_parent(self):
        return self.nominee
