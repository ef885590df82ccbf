from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurel.core import crypto
from laurel.core.audit import AuditedModel
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet
from laurel.core.validators import (
    mask_phone,
    mask_resident_id,
    normalize_resident_id,
    validate_person_name,
)
from laurel.registry.privacy import CLASSIFIED_NAME


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省部级")


class Kind(models.TextChoices):
    """H-1: the two national kinds and the four provincial/ministerial kinds."""

    NATIONAL_MODEL_WORKER = (
        "national_model_worker",
        _("国家级：2018年以前明确享受全国劳动模范（先进工作者）待遇"),
    )
    NATIONAL_HONOREE = "national_honoree", _("国家级：2018年以后明确享受国家级表彰奖励获得者待遇")
    PROVINCIAL = "provincial_committee_government", _("省部级：省委、省政府表彰并明确享受省级待遇")
    MINISTRY_PRE_1995 = "ministry_pre_1995", _("省部级：1995年以前部委表彰经原人事部确认")
    MINISTRY_FROM_1995 = "ministry_from_1995", _("省部级：1995年起部委表彰经人社部（原人事部）批准")
    VETERAN = "veteran", _("省部级：服役期间立一等功或获授荣誉称号的退役军人")


KIND_LEVEL = {
    Kind.NATIONAL_MODEL_WORKER: Level.NATIONAL,
    Kind.NATIONAL_HONOREE: Level.NATIONAL,
    Kind.PROVINCIAL: Level.PROVINCIAL,
    Kind.MINISTRY_PRE_1995: Level.PROVINCIAL,
    Kind.MINISTRY_FROM_1995: Level.PROVINCIAL,
    Kind.VETERAN: Level.PROVINCIAL,
}


class HonourType(models.TextChoices):
    """H-3: the type of honour decides who reviews."""

    PARTY = "party", _("党内表彰（优秀共产党员、优秀党务工作者等）")
    MODEL_WORKER = "model_worker", _("劳动模范（先进工作者）")
    CIVIL_SERVANT = "civil_servant", _("“人民满意的公务员”")
    OTHER = "other", _("其他表彰")


class MilitaryMerit(models.TextChoices):
    FIRST_CLASS = "first_class_merit", _("一等功")
    HONORARY_TITLE = "honorary_title", _("中央军委授权大单位、中央军委机关部门授予的荣誉称号")
    OTHER = "other", _("其他")


class EncryptedIdentity(models.Model):
    """ID number and phone: encrypted, hashed for lookup, masked for lists."""

    # Columns holding ``core.crypto`` tokens (``rotate_field_keys`` re-encrypts them under a new
    # key).
    cipher_fields = ("id_cipher", "phone_cipher")

    id_cipher = models.TextField(editable=False)
    id_hash = models.CharField(max_length=64, editable=False, db_index=True)
    id_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    phone_cipher = models.TextField(editable=False, blank=True)
    phone_masked = models.CharField(_("联系电话"), max_length=30, editable=False, blank=True)

    class Meta:
        abstract = True

    def set_id_number(self, value: str) -> None:
        value = normalize_resident_id(value)
        self.id_cipher = crypto.encrypt(value)
        self.id_hash = crypto.lookup_hash(value)
        self.id_masked = mask_resident_id(value)

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_cipher)

    def set_phone(self, value: str) -> None:
        value = (value or "").strip()
        self.phone_cipher = crypto.encrypt(value)
        self.phone_masked = mask_phone(value)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_cipher)


class PersonQuerySet(JurisdictionQuerySet):
    def by_id_number(self, value: str):
        return self.filter(id_hash__in=crypto.lookup_hashes(value))


class Person(EncryptedIdentity, AuditedModel):
    """One person (one ID number), many honours: the provincial honoree database (H-7)."""

    class Gender(models.TextChoices):
        MALE = "1", _("男")
        FEMALE = "2", _("女")

    name = models.CharField(_("姓名"), max_length=50, validators=[validate_person_name])
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=2, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("管理单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("按“谁管理、谁负责”登记本人的单位，或户籍所在地乡镇（街道）。"),
    )
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
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("所属地区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("登记单位所在地区，决定谁能看到此人。"),
    )
    retired = models.BooleanField(_("已离退休"), default=False)
    living = models.BooleanField(_("健在"), default=True)
    # Since when, as far as the registry knows: the day the change was recorded (treatment
    # starts and ends on it, H-7); empty for records imported with the status already set.
    retired_on = models.DateField(_("离退休登记日期"), null=True, blank=True)
    died_on = models.DateField(_("去世登记日期"), null=True, blank=True)
    classified = models.BooleanField(
        _("涉密人员"), default=False, help_text=_("H-6：脱密处理后登记，非授权人员只见脱密信息。")
    )
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    audit_mask = ("id_cipher", "id_hash", "phone_cipher")
    audit_code_tables = {"ethnicity": "ethnicity"}
    audit_exclude = ("updated_at",)
    jurisdiction = JurisdictionPaths(
        unit_path="unit__path", unit_id="unit_id", division_path="division__path"
    )
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("表彰人员")
        verbose_name_plural = _("表彰人员")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["id_hash"], name="registry_person_id_unique")
        ]
        indexes = [
            # The list's order, with the key: a page's offset is walked in the index alone.
            models.Index(fields=["name", "id"], name="registry_person_name_order"),
            # Name prefixes as LIKE 'x%' where the collation is not by code point (core.db).
            models.Index(
                fields=["name"], name="registry_person_name_like", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        # what an audit row, a mail or a form's choice names: never a classified name (H-6)
        return CLASSIFIED_NAME if self.classified else self.name

    def save(self, *args, **kwargs):
        """A change of status is dated the day it is recorded, unless a date was given; a status
        the registry has never seen change (created so, imported so) keeps no date: since ever."""
        today = timezone.localdate()
        was = getattr(self, "_audit_snapshot", None) or {}
        if self.living:
            self.died_on = None
        elif was.get("living") is True and self.died_on is None:  # dies now
            self.died_on = today
        if not self.retired:
            self.retired_on = None
        elif was.get("retired") is False and self.retired_on is None:  # retires now
            self.retired_on = today
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "died_on", "retired_on"}
        super().save(*args, **kwargs)


class Honour(AuditedModel):
    """An honour a person holds (or held: revoked)."""

    class Status(models.TextChoices):
        HELD = "held", _("保持荣誉")
        REVOKED = "revoked", _("已撤销")

    class Origin(models.TextChoices):
        REGISTRATION = "registration", _("统计登记")
        IMPORT = "import", _("批量导入")
        # Awards of this system's own campaigns: the campaign keeps the link (evaluation.Award).
        AWARD = "award", _("本系统评选表彰")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="honours")
    title = models.CharField(_("荣誉称号"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("类别"), max_length=40, choices=Kind.choices)
    honour_type = models.CharField(
        _("表彰类型"), max_length=20, choices=HonourType.choices, default=HonourType.OTHER
    )
    awarding_body = models.CharField(_("授予机关"), max_length=200)
    document_number = models.CharField(_("表彰文号"), max_length=100, blank=True)
    awarded_on = models.DateField(_("授予时间"))
    treatment = models.CharField(_("文件明确的待遇"), max_length=200, blank=True)
    confirmation_document = models.CharField(
        _("确认（批准）文号"),
        max_length=100,
        blank=True,
        help_text=_("1995年以前：原国家人事部确认文件；1995年起：人社部（原人事部）批准文件。"),
    )
    military_merit = models.CharField(
        _("立功受奖情况"), max_length=30, choices=MilitaryMerit.choices, blank=True
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.HELD)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    origin = models.CharField(
        _("来源"),
        max_length=20,
        choices=Origin.choices,
        default=Origin.REGISTRATION,
        db_default=Origin.REGISTRATION,
    )

    audit_state_field = "status"
    jurisdiction = JurisdictionPaths(
        unit_path="person__unit__path",
        unit_id="person__unit_id",
        division_path="person__division__path",
    )
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["person", "awarded_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "title", "awarded_on"], name="registry_honour_unique"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "awarded_on"]),
            models.Index(fields=["level", "status"]),
        ]

    def __str__(self):
        return f"{self.awarded_on:%Y} {self.title}"

    @property
    def audit_parent(self):
        return self.person


class StatisticCell(models.Model):
    """Precomputed counts for the statistics page: per division, per dimension (level, kind,
    year, status for honours; sex, ethnicity for people), per value. Rebuilt by the task
    ``registry.tasks.refresh_statistics`` so the page stays flat as the registry grows."""

    division = models.ForeignKey("core.Division", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=60)
    count = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    jurisdiction = JurisdictionPaths(division_path="division__path")
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("统计数")
        verbose_name_plural = _("统计数")
        indexes = [models.Index(fields=["dimension", "division"])]

    def __str__(self):
        return f"{self.division_id} {self.dimension}={self.value}: {self.count}"


class StatisticRollup(models.Model):
    """The statistics page of one jurisdiction, whole: for each division (the province, each
    city, each county), the counts of every table summed over the division and the divisions
    under it, as the refresh task leaves them. The page reads one row — the user's jurisdiction's
    topmost — instead of summing its cells per request (issue 22)."""

    division = models.OneToOneField("core.Division", on_delete=models.CASCADE, related_name="+")
    # {"counts": {dimension: {value: count}}, "city": {name: count},
    #  "names": {"ethnicity": {code: name}}}
    tables = models.JSONField()
    refreshed_at = models.DateTimeField()

    jurisdiction = JurisdictionPaths(division_path="division__path")
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("统计汇总")
        verbose_name_plural = _("统计汇总")

    def __str__(self):
        return f"{self.division_id}: {self.refreshed_at:%Y-%m-%d %H:%M}"
