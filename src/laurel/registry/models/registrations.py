from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet
from laurel.core.models import PaperOpinion
from laurel.core.validators import validate_person_name
from laurel.orgs.models import UnitFunction
from laurel.registry.privacy import CLASSIFIED_NAME

from .drives import Drive
from .people import KIND_LEVEL, EncryptedIdentity, HonourType, Kind, Level, MilitaryMerit, Person


class Registration(EncryptedIdentity, AuditedModel):
    """One person's registration form (登记表) moving through the tiers to filing (H-4)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("审核中")
        SENT_BACK = "sent_back", _("退回修改")
        FILED = "filed", _("已备案")
        REJECTED = "rejected", _("不予登记")

    class Tier(models.TextChoices):
        SUPERVISOR = "supervisor", _("主管部门（乡镇、街道）初审")
        COUNTY = "county", _("县级")
        CITY = "city", _("市级")
        PROVINCE = "province", _("省级工作组")

    drive = models.ForeignKey(Drive, on_delete=models.PROTECT, related_name="registrations")
    filing_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    route = models.JSONField(_("审核路径"), default=list)
    current_tier = models.CharField(_("当前层级"), max_length=20, choices=Tier.choices, blank=True)
    round = models.PositiveSmallIntegerField(_("上报轮次"), default=0)
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)

    name = models.CharField(_("姓名"), max_length=50, validators=[validate_person_name])
    gender = models.CharField(_("性别"), max_length=1, choices=Person.Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=2, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    unit_name = models.CharField(_("工作单位"), max_length=100, blank=True)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    household_division = models.ForeignKey(
        "core.Division",
        verbose_name=_("户籍所在地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_farmer_or_no_unit = models.BooleanField(
        _("农民、无固定单位或无主管部门的非公企业、社会组织人员"), default=False
    )
    retired = models.BooleanField(_("已离退休"), default=False)
    living = models.BooleanField(_("健在"), default=True)
    active_military = models.BooleanField(_("现役军人"), default=False)
    classified = models.BooleanField(_("涉密人员"), default=False)
    has_personnel_file = models.BooleanField(_("有人事档案记录或可查证的资料"), default=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    audit_mask = ("id_cipher", "id_hash", "phone_cipher")
    audit_code_tables = {"ethnicity": "ethnicity"}
    audit_state_field = "state"
    jurisdiction = JurisdictionPaths(
        unit_path="filing_unit__path", unit_id="filing_unit_id", division_path="division__path"
    )
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("登记表")
        verbose_name_plural = _("登记表")
        ordering = ["-pk"]
        constraints = [
            # one registration per person and drive (the service says so in Chinese first; this
            # holds against two units saving at the same moment)
            models.UniqueConstraint(
                fields=["drive", "id_hash"],
                condition=~models.Q(state="rejected"),
                name="registration_one_per_person_and_drive",
            )
        ]

    @property
    def is_under_review(self) -> bool:
        return self.state == self.State.SUBMITTED

    def __str__(self):
        # what an audit row, a mail or a form's choice names: never a classified name (H-6)
        return CLASSIFIED_NAME if self.classified else self.name


class RegisteredHonour(AuditedModel):
    """An honour as stated on a registration (becomes a registry Honour when filed)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="honours")
    title = models.CharField(_("荣誉称号"), max_length=200)
    kind = models.CharField(_("类别"), max_length=40, choices=Kind.choices)
    honour_type = models.CharField(
        _("表彰类型"), max_length=20, choices=HonourType.choices, default=HonourType.OTHER
    )
    awarding_body = models.CharField(_("授予机关"), max_length=200)
    document_number = models.CharField(_("表彰文号"), max_length=100, blank=True)
    awarded_on = models.DateField(_("授予时间"))
    treatment = models.CharField(_("文件明确的待遇"), max_length=200, blank=True)
    confirmation_document = models.CharField(_("确认（批准）文号"), max_length=100, blank=True)
    military_merit = models.CharField(
        _("立功受奖情况"), max_length=30, choices=MilitaryMerit.choices, blank=True
    )
    evidence = models.CharField(_("佐证材料"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("登记的荣誉")
        verbose_name_plural = _("登记的荣誉")
        ordering = ["registration", "awarded_on", "pk"]

    def __str__(self):
        return self.title

    @property
    def audit_parent(self):
        return self.registration

    @property
    def level(self) -> str:
        return KIND_LEVEL.get(self.kind, Level.PROVINCIAL)


class RegistrationOpinion(PaperOpinion, AuditedModel):
    """A signed-and-sealed opinion of one department at one tier."""

    class Decision(models.TextChoices):
        AGREE = "agree", _("同意")
        SEND_BACK = "send_back", _("退回修改")
        REJECT = "reject", _("不予登记")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="opinions"
    )
    round = models.PositiveSmallIntegerField(_("上报轮次"))
    tier = models.CharField(_("层级"), max_length=20, choices=Registration.Tier.choices)
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
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["registration", "round", "pk"]

    def audit_display_function(self, raw: str) -> str:
        return str(dict(UnitFunction.Function.choices).get(raw, raw))

    def __str__(self):
        return f"{self.get_tier_display()} {self.department}：{self.get_decision_display()}"

    @property
    def audit_parent(self):
        return self.registration


class Evidence(AuditedModel):
    """A supporting document (佐证材料) of a registration: the commendation document, the
    confirmation or approval, a personnel-file page. PDF, JPEG or PNG."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="evidence_files"
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
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["registration", "pk"]

    def __str__(self):
        return self.title

    @property
    def audit_parent(self):
        return self.registration
