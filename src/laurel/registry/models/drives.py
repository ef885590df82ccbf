from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.fields import EncryptedTextField
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet
from laurel.core.validators import validate_any_phone, validate_mobile, validate_person_name


class Drive(AuditedModel):
    """A registration drive (统计登记工作) with its per-tier deadlines (H-5)."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    name = models.CharField(_("名称"), max_length=200)
    document_number = models.CharField(_("通知文号"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    contacts_due = models.DateField(_("负责人员联系表报送截止"))
    provincial_units_due = models.DateField(_("省直部门、单位完成审核"))
    counties_due = models.DateField(_("县（市、区）完成审核"))
    cities_due = models.DateField(_("市（州）和驻省中直单位完成审核"))
    province_due = models.DateField(_("省级完成审核备案"))

    audit_state_field = "status"

    class Meta:
        verbose_name = _("统计登记工作")
        verbose_name_plural = _("统计登记工作")
        ordering = ["-pk"]

    def __str__(self):
        return self.name


class DriveContact(AuditedModel):
    """附件5 of the notice: the unit's responsible person and contact for the drive."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT)
    leader_name = models.CharField(
        _("分管负责人"), max_length=50, validators=[validate_person_name]
    )
    leader_position = models.CharField(_("职务"), max_length=100, blank=True)
    contact_name = models.CharField(
        _("具体工作人员"), max_length=50, validators=[validate_person_name]
    )
    contact_position = models.CharField(_("职务"), max_length=100, blank=True)
    office_phone = EncryptedTextField(_("办公电话"), max_length=30, validators=[validate_any_phone])
    mobile = EncryptedTextField(_("手机"), max_length=30, blank=True, validators=[validate_mobile])
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    audit_mask = ("office_phone", "mobile")
    jurisdiction = JurisdictionPaths(
        unit_path="unit__path", unit_id="unit_id", division_path="unit__division__path"
    )
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("统计登记工作负责人员")
        verbose_name_plural = _("统计登记工作负责人员联系表")
        constraints = [
            models.UniqueConstraint(fields=["drive", "unit"], name="registry_contact_unique")
        ]

    def __str__(self):
        return f"{self.unit}：{self.contact_name}"

    @property
    def audit_parent(self):
        return self.drive
