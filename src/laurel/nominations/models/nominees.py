from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core import crypto
from laurel.core.audit import AuditedModel
from laurel.core.fields import EncryptedTextField
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet
from laurel.core.text import format_year_month
from laurel.core.validators import (
    normalize_resident_id,
    validate_mobile,
    validate_native_place,
    validate_person_name,
    validate_phone,
    validate_plain_text,
    validate_resident_id,
)
from laurel.orgs.models import Unit

DRAFT_TEXT_MAX = 10000


# The fields of 附件2 (collective) and 附件3 (individual), in the forms' order.
COLLECTIVE_FIELDS = (
    "name",
    "is_temporary",
    "collective_type",
    "ownership",
    "admin_level",
    "member_count",
    "unit_division",
    "is_party_committee_or_government",
    "leader_name",
    "leader_unit_position",
    "leader_phone",
    "parent_unit_name",
    "parent_unit_phone",
    "address",
    "in_sector_agency",
    "profile",
    "deeds",
)
INDIVIDUAL_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "native_place",
    "birth_date",
    "political_status",
    "education",
    "degree",
    "work_start",
    "id_number",
    "staffing_type",
    "position_rank",
    "admin_level",
    "concurrent_posts",
    "technical_post_grade",
    "skill_level",
    "professional_title",
    "title_grade",
    "work_unit_name",
    "unit_affiliation",
    "unit_nature",
    "ownership",
    "unit_division",
    "unit_address",
    "unit_phone",
    "mobile",
    "field_work_since",
    "is_enterprise_head",
    "in_sector_agency",
    "deeds",
)


class NomineeQuerySet(JurisdictionQuerySet):
    def active(self):
        """Nominees that hold a quota place: everything not in draft and not withdrawn (a
        nominee sent back for changes keeps its place)."""
        return self.exclude(state__in=[Nominee.State.DRAFT, Nominee.State.WITHDRAWN])


class Nominee(AuditedModel):
    """A nominee (推荐对象): a collective (附件2) or an individual (附件3).

    Kind-specific fields are blank for the other kind. Drafts may be incomplete; the checks in
    ``nominations.validation`` decide whether a nominee is complete enough to submit.
    """

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("先进集体")
        INDIVIDUAL = "individual", _("先进个人")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("审核中")
        SENT_BACK = "sent_back", _("退回修改")
        RECEIVED = "received", _("省级已接收")
        WITHDRAWN = "withdrawn", _("已撤回")
        AWARDED = "awarded", _("已表彰")
        REVOKED = "revoked", _("已撤销")

    class Target(models.TextChoices):
        CITY = "city", _("市（州）评选推荐工作机构")
        PROVINCE = "province", _("省评选表彰工作领导小组办公室")

    class Gender(models.TextChoices):
        MALE = "1", _("男")
        FEMALE = "2", _("女")

    class StaffingType(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("行政")
        CIVIL_SERVICE_MANAGED = "civil_service_managed", _("参公")
        PUBLIC_INSTITUTION = "public_institution", _("事业")
        ENTERPRISE = "enterprise", _("企业")

    class TitleGrade(models.TextChoices):
        SENIOR = "senior", _("正高级")
        ASSOCIATE_SENIOR = "associate_senior", _("副高级")
        INTERMEDIATE = "intermediate", _("中级")
        JUNIOR = "junior", _("初级")

    class UnitNature(models.TextChoices):
        AGENCY = "agency", _("机关")
        CIVIL_SERVICE_MANAGED = "civil_service_managed", _("参公单位")
        PUBLIC_INSTITUTION = "public_institution", _("事业单位")
        ENTERPRISE = "enterprise", _("企业")
        OTHER = "other", _("其他")

    # Where the nominee stands
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="nominees"
    )
    category = models.ForeignKey(
        "campaigns.AwardCategory",
        verbose_name=_("类别"),
        on_delete=models.PROTECT,
        related_name="nominees",
    )
    body = models.ForeignKey(
        "campaigns.NominatingBody",
        verbose_name=_("推荐单位（名额）"),
        on_delete=models.PROTECT,
        related_name="nominees",
    )
    nominating_unit = models.ForeignKey(
        Unit, verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="nominees"
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    submitted_to = models.CharField(_("上报至"), max_length=20, choices=Target.choices, blank=True)
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    # Whose account submitted it (the unit itself, or its nominating body): the unit's box of
    # 附件2/3 says the unit submitted online only when it did.
    submitted_by_unit = models.ForeignKey(
        Unit,
        verbose_name=_("上报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rank = models.PositiveIntegerField(_("排序"), default=0)
    review_tier = models.CharField(
        _("当前审核层级"),
        max_length=20,
        blank=True,
        choices=[("county", _("县级")), ("city", _("市级")), ("province", _("省级"))],
    )
    review_round = models.PositiveSmallIntegerField(_("上报轮次"), default=0)
    # The last send-back (a banner on the nominee's page and in the unit's inbox until it is
    # submitted again); the history keeps every one.
    sent_back_reason = models.TextField(_("退回原因"), blank=True)
    sent_back_by = models.CharField(_("退回人"), max_length=200, blank=True)
    sent_back_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    justifications = models.JSONField(_("原则性要求说明"), default=dict, blank=True)
    in_sector_agency = models.BooleanField(
        _("属于本系统（行业）机关"),
        default=False,
        help_text=_("用于“本系统机关比例原则上不超过推荐名额的一定比例”的检查（C-10）。"),
    )

    # Shared by both forms
    name = models.CharField(_("名称/姓名"), max_length=100, validators=[validate_plain_text])
    admin_level = models.CharField(
        _("行政级别"), max_length=30, choices=Unit.AdminLevel.choices, blank=True
    )
    # The campaign's limits (800 characters of deeds) are checked at submission; a draft may
    # run over while it is written, up to a bound that keeps a page, a form and a PDF sane.
    profile = models.TextField(
        _("基本情况介绍"), blank=True, validators=[MaxLengthValidator(DRAFT_TEXT_MAX)]
    )
    deeds = models.TextField(
        _("主要事迹"), blank=True, validators=[MaxLengthValidator(DRAFT_TEXT_MAX)]
    )

    # 附件2: collectives
    collective_type = models.CharField(
        _("集体类型"), max_length=30, choices=Unit.Kind.choices, blank=True
    )
    is_temporary = models.BooleanField(_("临时集体"), default=False)
    member_count = models.PositiveIntegerField(_("集体人数"), null=True, blank=True)
    leader_name = models.CharField(
        _("集体主要负责人姓名"), max_length=30, blank=True, validators=[validate_person_name]
    )
    leader_unit_position = models.CharField(
        _("集体主要负责人单位和职务"), max_length=100, blank=True
    )
    leader_phone = EncryptedTextField(
        _("集体主要负责人联系电话"), max_length=30, blank=True, validators=[validate_phone]
    )
    parent_unit_name = models.CharField(_("集体所属单位"), max_length=100, blank=True)
    parent_unit_phone = EncryptedTextField(
        _("集体所属单位联系电话"), max_length=30, blank=True, validators=[validate_phone]
    )
    address = models.CharField(_("单位地址"), max_length=200, blank=True)
    ownership = models.CharField(
        _("企业所有制类型"), max_length=20, choices=Unit.Ownership.choices, blank=True
    )
    is_party_committee_or_government = models.BooleanField(
        _("本级党委或政府"),
        default=False,
        help_text=_("集体是党委、政府本身（不是其工作部门）。"),
    )

    # 附件3: individuals
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=2, blank=True)
    native_place = models.CharField(
        _("籍贯"), max_length=60, blank=True, validators=[validate_native_place]
    )
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=2, blank=True)
    education = models.CharField(_("学历"), max_length=30, blank=True)
    degree = models.CharField(_("学位"), max_length=20, blank=True)
    work_start = models.DateField(_("参加工作时间"), null=True, blank=True)
    id_number = EncryptedTextField(
        _("身份证号码"), max_length=18, blank=True, validators=[validate_resident_id]
    )
    # The keyed hash of the ID number: how a person is found (one per campaign, prior honours)
    # while the number itself is stored encrypted.
    id_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    staffing_type = models.CharField(
        _("编制性质"), max_length=30, choices=StaffingType.choices, blank=True
    )
    position_rank = models.CharField(_("职务职级"), max_length=100, blank=True)
    concurrent_posts = models.CharField(_("主要兼任职务"), max_length=100, blank=True)
    technical_post_grade = models.CharField(
        _("专业技术职务"), max_length=20, choices=TitleGrade.choices, blank=True
    )
    skill_level = models.CharField(_("技术等级"), max_length=30, blank=True)
    professional_title = models.CharField(_("职称"), max_length=60, blank=True)
    title_grade = models.CharField(
        _("职称等级"), max_length=20, choices=TitleGrade.choices, blank=True
    )
    work_unit_name = models.CharField(_("工作单位"), max_length=100, blank=True)
    unit_affiliation = models.CharField(
        _("工作单位隶属关系"), max_length=20, choices=Unit.Tier.choices, blank=True
    )
    unit_nature = models.CharField(
        _("工作单位性质"), max_length=30, choices=UnitNature.choices, blank=True
    )
    unit_division = models.ForeignKey(
        "core.Division",
        verbose_name=_("工作单位行政区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit_address = models.CharField(_("工作单位地址"), max_length=200, blank=True)
    unit_phone = EncryptedTextField(
        _("工作单位联系电话"), max_length=30, blank=True, validators=[validate_phone]
    )
    mobile = EncryptedTextField(
        _("个人联系电话"), max_length=30, blank=True, validators=[validate_mobile]
    )
    photo = models.CharField(_("照片"), max_length=200, blank=True, editable=False)
    field_work_since = models.DateField(
        _("从事本项工作起始时间"),
        null=True,
        blank=True,
        help_text=_("用于“连续从事本项工作年限”的检查（C-7）。"),
    )
    is_enterprise_head = models.BooleanField(_("企业负责人"), default=False)

    audit_code_tables = {
        "ethnicity": "ethnicity",
        "political_status": "political_status",
        "education": "education",
        "degree": "degree",
    }
    audit_mask = (
        "id_number",
        "id_hash",
        "mobile",
        "unit_phone",
        "leader_phone",
        "parent_unit_phone",
    )
    audit_state_field = "state"
    jurisdiction = JurisdictionPaths(
        unit_path="nominating_unit__path",
        unit_id="nominating_unit_id",
        division_path="division__path",
    )
    objects = NomineeQuerySet.as_manager()

    class Meta:
        verbose_name = _("推荐对象")
        verbose_name_plural = _("推荐对象")
        ordering = ["body", "category", "rank", "pk"]
        indexes = [
            models.Index(fields=["body", "category", "state"]),
            # The nominee list sorts a campaign's page keys, and counts its quota use, from this
            # index alone (issue 10; PostgreSQL keeps the included columns in the index).
            models.Index(
                fields=["campaign", "body", "category", "rank", "id"],
                include=["state", "review_tier"],
                name="nominee_list_order",
            ),
            # A city's or county's list (the jurisdiction filter is the nominee's division):
            # the campaign's rows of the divisions below found and counted from this index, and
            # the sort's own columns read from it (the body's and category's sort orders come
            # from their small tables by join), not from a scan of every wide row of the
            # campaign (issue 22).
            models.Index(
                fields=["campaign", "division"],
                include=["body", "category", "rank", "id"],
                name="nominee_campaign_division",
            ),
        ]
        constraints = [
            # One person once per campaign, held by the database too (two units entering the
            # same ID number at the same moment).
            models.UniqueConstraint(
                fields=["campaign", "id_hash"],
                condition=~models.Q(id_hash=""),
                name="nominee_one_id_per_campaign",
                violation_error_message=_(
                    "此身份证号码已在本活动中被推荐，同一人在一个活动中只能推荐一次。"
                ),
            ),
        ]

    def clean(self):
        super().clean()
        if self.kind == self.Kind.INDIVIDUAL and self.name:
            try:
                validate_person_name(self.name)
            except ValidationError as error:
                raise ValidationError({"name": error.messages}) from None

    def save(self, *args, **kwargs):
        self.id_number = normalize_resident_id(self.id_number)  # stored in one spelling
        self.id_hash = crypto.lookup_hash(self.id_number) if self.id_number else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "id_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "id_hash"}
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name or str(_("（未命名）"))

    @property
    def is_individual(self) -> bool:
        return self.kind == self.Kind.INDIVIDUAL

    @property
    def is_enterprise(self) -> bool:
        """An enterprise or an enterprise's head: clearance also on 附件5 (C-9)."""
        if self.is_individual:
            return self.is_enterprise_head
        return self.collective_type == Unit.Kind.ENTERPRISE

    @property
    def is_editable(self) -> bool:
        """A draft, or sent back for changes."""
        return self.state in (self.State.DRAFT, self.State.SENT_BACK)

    @property
    def is_withdrawn(self) -> bool:
        """No longer nominated (withdrawn after a founded objection, a clearance veto, or a
        panel; or an honour revoked): a notice still lists it, but takes no objection."""
        return self.state in (self.State.WITHDRAWN, self.State.REVOKED)

    @property
    def is_sent_back(self) -> bool:
        return self.state == self.State.SENT_BACK

    @property
    def is_in_review(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def level(self) -> str:
        """The tier the nominee belongs to: province, prefecture or county (附件2 note 7)."""
        division = self.division
        if division.level == "county" and not division.directly_administered:
            return "county"
        if division.level == "province":
            return "province"
        return "prefecture"


class ResumeEntry(AuditedModel):
    """One line of the résumé (简历): from a month to a month (or 至今), unit and position."""

    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="resume")
    start = models.DateField(_("起始年月"))
    end = models.DateField(_("截止年月"), null=True, blank=True, help_text=_("空表示至今"))
    text = models.CharField(_("单位及职务"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("简历")
        verbose_name_plural = _("简历")
        ordering = ["nominee_id", "sort_order", "start", "pk"]  # the key: see NomineeRecord

    def __str__(self):
        return f"{format_year_month(self.start)}—{format_year_month(self.end)} {self.text}"

    @property
    def audit_parent(self):
        return self.nominee


class NomineeRecord(AuditedModel):
    """何时何地受过何种奖励 / 处分."""

    class Kind(models.TextChoices):
        AWARD = "award", _("奖励")
        PUNISHMENT = "punishment", _("处分")

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省部级")
        PREFECTURE = "prefecture", _("地市级")
        BELOW = "below", _("县级及以下")

    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("时间（年月）"))
    issuer = models.CharField(_("授予（作出）机关"), max_length=100)
    text = models.CharField(_("奖励或处分名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices, blank=True)
    treatment = models.BooleanField(
        _("享受省部级以上表彰奖励获得者待遇"),
        default=False,
    )

    class Meta:
        verbose_name = _("奖惩记录")
        verbose_name_plural = _("奖惩记录")
        # by the key, not "nominee": that would sort by the nominee's own ordering, five joins
        # for rows always read one nominee's (or one page's) at a time; pk keeps equal dates in
        # the order they were entered
        ordering = ["nominee_id", "kind", "date", "pk"]

    def __str__(self):
        return f"{self.date:%Y.%m} {self.issuer} {self.text}"

    @property
    def audit_parent(self):
        return self.nominee


class ClaimedCondition(AuditedModel):
    """An achievement condition (C-6, C-7) the nominee claims to meet."""

    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="claims")
    condition = models.ForeignKey(
        "campaigns.AchievementCondition", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("符合的评选条件")
        verbose_name_plural = _("符合的评选条件")
        constraints = [
            models.UniqueConstraint(
                fields=["nominee", "condition"], name="nominations_claim_unique"
            )
        ]

    def __str__(self):
        return f"{self.nominee}：{self.condition}"

    @property
    def audit_parent(self):
        return self.nominee
