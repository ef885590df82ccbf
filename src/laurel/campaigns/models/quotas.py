from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet


class NominatingBody(AuditedModel):
    """A body that nominates in a campaign: a city-level 评选推荐工作机构 (by division) or a
    provincial-level unit (中省直单位)."""

    class Kind(models.TextChoices):
        REGION = "region", _("地区")
        PROVINCIAL_UNIT = "provincial_unit", _("中省直单位")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="bodies"
    )
    key = models.SlugField(_("标识"), max_length=60)
    name = models.CharField(_("推荐单位"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("行政区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    # The office may give one body more time to submit (recorded, with the reason in the log).
    deadline_extended_to = models.DateField(_("报送截止延期至"), null=True, blank=True)

    jurisdiction = JurisdictionPaths(
        unit_path="unit__path", unit_id="unit_id", division_path="division__path"
    )
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("推荐单位")
        verbose_name_plural = _("推荐单位")
        ordering = ["campaign", "sort_order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="campaigns_body_unique_key")
        ]

    def __str__(self):
        return self.name

    @property
    def audit_parent(self):
        return self.campaign


class Quota(AuditedModel):
    """How many nominees a body may put forward in a category (blank in the tables = 0)."""

    body = models.ForeignKey(NominatingBody, on_delete=models.CASCADE, related_name="quotas")
    category = models.ForeignKey(
        "campaigns.AwardCategory", on_delete=models.CASCADE, related_name="quotas"
    )
    places = models.PositiveIntegerField(_("推荐名额"), default=0)

    jurisdiction = JurisdictionPaths(
        unit_path="body__unit__path", unit_id="body__unit_id", division_path="body__division__path"
    )
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        ordering = ["body__sort_order", "category__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["body", "category"], name="campaigns_quota_unique")
        ]

    def __str__(self):
        return f"{self.body}·{self.category}：{self.places}"

    @property
    def audit_parent(self):
        return self.body.campaign


class QuotaReservation(AuditedModel):
    """Part of a quota kept for a sub-area, e.g. 长春市 20 collectives including 2 for 公主岭."""

    quota = models.ForeignKey(Quota, on_delete=models.CASCADE, related_name="reservations")
    name = models.CharField(_("单列对象"), max_length=60)
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("行政区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    places = models.PositiveIntegerField(_("单列名额"))

    class Meta:
        verbose_name = _("单列名额")
        verbose_name_plural = _("单列名额")
        constraints = [
            models.UniqueConstraint(fields=["quota", "name"], name="campaigns_reservation_unique")
        ]

    def __str__(self):
        return f"（含{self.name}{self.places}）"

    @property
    def audit_parent(self):
        return self.quota.body.campaign
