from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel


class Approval(AuditedModel):
    """The provincial government's approval of the list (C-8 step 6)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="approval"
    )
    document_number = models.CharField(_("批准文号"), max_length=100)
    approved_on = models.DateField(_("批准日期"))

    class Meta:
        verbose_name = _("审定（批准）")
        verbose_name_plural = _("审定（批准）")

    def __str__(self):
        return self.document_number


class Award(AuditedModel):
    """An award (表彰): certificate number and bonus (individuals), plaque (collectives)."""

    class State(models.TextChoices):
        VALID = "valid", _("有效")
        REVOKED = "revoked", _("已撤销")

    nominee = models.OneToOneField(
        "nominations.Nominee", on_delete=models.PROTECT, related_name="award"
    )
    certificate_number = models.CharField(
        _("证书编号"), max_length=30, unique=True, null=True, blank=True
    )
    plaque = models.BooleanField(_("奖牌"), default=False)
    bonus_amount = models.DecimalField(_("奖金（元）"), max_digits=10, decimal_places=2, default=0)
    issued_on = models.DateField(_("颁发日期"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.VALID)
    revoked_reason = models.TextField(_("撤销原因"), blank=True)
    revocation_evidence = models.TextField(_("撤销依据"), blank=True)
    certificate_recovered = models.BooleanField(_("已收回证书"), default=False)
    bonus_recovered = models.BooleanField(_("已收回奖金"), default=False)
    # The honour the award became in the honoree registry (a title that carries treatment); the
    # link lives here, so the registry knows nothing of campaigns.
    registry_honour = models.OneToOneField(
        "registry.Honour",
        verbose_name=_("登记的荣誉"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    audit_state_field = "state"

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["nominee__category__sort_order", "pk"]

    def __str__(self):
        return f"{self.nominee}：{self.nominee.category.honour_title}"

    @property
    def audit_parent(self):
        return self.nominee

    @property
    def is_revoked(self) -> bool:
        return self.state == self.State.REVOKED
