from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.models import PaperOpinion
from laurel.orgs.models import UnitFunction


class ReviewOpinion(PaperOpinion, AuditedModel):
    """One reviewing department's opinion at one tier (the review rows of 附件2/附件3): the HR &
    social security and the housing departments of the county, the city and the province."""

    class Decision(models.TextChoices):
        AGREE = "agree", _("同意")
        DISAGREE = "disagree", _("不同意")

    nominee = models.ForeignKey(
        "nominations.Nominee", on_delete=models.CASCADE, related_name="review_opinions"
    )
    round = models.PositiveSmallIntegerField(_("上报轮次"))
    tier = models.CharField(_("审核层级"), max_length=20)
    function = models.CharField(_("审核部门职能"), max_length=40)
    department = models.ForeignKey(
        "orgs.Unit", verbose_name=_("审核部门"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("意见"), max_length=20, choices=Decision.choices)
    text = models.TextField(_("审核意见"), blank=True)
    officer_name = models.CharField(_("经办人"), max_length=30)
    decided_on = models.DateField(_("日期"))
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    TIERS = {"county": _("县级"), "city": _("市级"), "province": _("省级")}

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["nominee", "round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominee", "round", "tier", "function"], name="nominations_review_unique"
            )
        ]

    def __str__(self):
        return f"{self.department}：{self.get_decision_display()}"

    @property
    def audit_parent(self):
        return self.nominee

    def audit_display_tier(self, raw: str) -> str:
        return str(self.TIERS.get(raw, raw))

    def audit_display_function(self, raw: str) -> str:
        return str(dict(UnitFunction.Function.choices).get(raw, raw))

    @property
    def tier_label(self) -> str:
        return str(self.TIERS.get(self.tier, self.tier))
