from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.jurisdiction import EVERYTHING, JurisdictionQuerySet, Scope, user_scopes

from .quotas import NominatingBody


def _prefixes(path: str) -> list[str]:
    """``/220000/220100/220102/`` → the paths of itself and every ancestor."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def visible_rows(user) -> Q:
    """The campaigns a user sees: province-wide roles every campaign; everybody else the
    published (and closed) campaigns in which a nominating body inside their jurisdiction takes
    part, or whose body's area (or unit) contains the user's unit — a county unit nominates
    through its city's body."""
    scopes = user_scopes(user)
    if Scope.PROVINCE in scopes:
        return EVERYTHING
    bodies = NominatingBody.objects.restrict(user)
    unit = getattr(user, "unit", None) if scopes else None
    if unit is not None:
        bodies = NominatingBody.objects.filter(
            Q(pk__in=bodies.values("pk"))
            | Q(division__path__in=_prefixes(unit.division.path))
            | Q(unit__path__in=_prefixes(unit.path))
        )
    return Q(
        status__in=[Campaign.Status.PUBLISHED, Campaign.Status.CLOSED],
        pk__in=bodies.values("campaign_id"),
    )


class Campaign(AuditedModel):
    """A commendation campaign (评选表彰活动), defined by data: see docs/campaign-format.md."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已结束")

    slug = models.SlugField(_("标识"), max_length=80, unique=True)
    name = models.CharField(_("活动名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    decision_subject = models.CharField(
        _("表彰决定标题中的表彰对象"),
        max_length=200,
        blank=True,
        help_text=_("“……关于表彰（此处）的决定”；留空则由活动名称生成。"),
    )
    decision_addressees = models.CharField(
        _("表彰决定的主送机关"),
        max_length=300,
        blank=True,
        help_text=_("如“各市（州）人民政府，省政府各厅委办、各直属机构：”；留空则用此通用写法。"),
    )
    decision_copy_to = models.CharField(
        _("表彰决定的抄送机关"), max_length=300, blank=True, help_text=_("版记中的抄送。")
    )
    decision_printed_by = models.CharField(
        _("表彰决定的印发机关"),
        max_length=100,
        blank=True,
        help_text=_("版记中的印发机关，如“吉林省人民政府办公厅”；留空则为表彰名义机关。"),
    )
    approval_label = models.CharField(
        _("登记表中的审批机关"),
        max_length=100,
        blank=True,
        help_text=_(
            "推荐审批表、登记表“审批意见”一栏的机关，如“省政府（省委、省政府）”；留空则为表彰名义机关。"
        ),
    )
    certificate_achievement = models.CharField(
        _("证书中的事项"),
        max_length=200,
        blank=True,
        help_text=_("证书“在（此处）中成绩突出”；留空则由活动名称生成。"),
    )
    year = models.PositiveIntegerField(_("年度"))
    commended_in_name_of = models.CharField(_("表彰名义"), max_length=100)
    organisers = models.CharField(_("承办单位"), max_length=200)
    office_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("领导小组办公室所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    differential_ratio = models.DecimalField(
        _("差额比例"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("推荐对象须多于表彰名额的比例，如0.20表示不低于20%（C-3）。"),
    )
    public_notice_working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    profile_max_chars = models.PositiveIntegerField(_("基本情况字数上限"), default=300)
    deeds_max_chars = models.PositiveIntegerField(_("主要事迹字数上限"), default=800)
    eligibility = models.JSONField(_("评选条件参数"), default=dict, blank=True)
    ratio_limits = models.JSONField(_("比例限制（原则上）"), default=list, blank=True)
    review_functions = models.JSONField(
        _("各级审核部门职能"),
        default=list,
        blank=True,
        help_text=_("每一级由哪些部门出具审核意见；空表示人社和住建（附件2、附件3）。"),
    )

    class AfterDisagreement(models.TextChoices):
        REVIEW_AGAIN = "review_again", _("撤回后可修改重报，须重新经过各级审核，原不同意意见随附")
        OUT = "out", _("撤回即退出本次评选")

    withdrawal_after_disagreement = models.CharField(
        _("审核不同意后撤回"),
        max_length=20,
        choices=AfterDisagreement.choices,
        default=AfterDisagreement.REVIEW_AGAIN,
    )
    clearance_departments = models.JSONField(
        _("自行声明的征求意见部门"),
        default=list,
        blank=True,
        help_text=_("标准职能以外、本方案需征求意见的部门：key、name、routing。"),
    )
    clearance_rules = models.JSONField(
        _("征求意见规则"),
        default=list,
        blank=True,
        help_text=_("空表示使用默认规则（C-9、附件4、附件5）。"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    definition_version = models.PositiveSmallIntegerField(_("定义文件格式版本"), default=1)
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)

    audit_state_field = "status"
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("评选表彰活动")
        verbose_name_plural = _("评选表彰活动")
        ordering = ["-year", "name"]

    @property
    def is_running(self) -> bool:
        """Published and not yet closed: its records may still change."""
        return self.status == self.Status.PUBLISHED

    def material_deadline(self, body=None):
        """The last day to submit: the campaign's ``material_deadline`` phase, or the later
        date the office gave ``body``."""
        phase = self.phase("material_deadline")
        deadline = phase.ends_on if phase else None
        if body is not None and body.deadline_extended_to:
            deadline = max(filter(None, (deadline, body.deadline_extended_to)))
        return deadline

    def derived_subject(self) -> str:
        """The subject of the decision as the name gives it: 吉林省……先进集体、先进个人评选表彰
        → 吉林省……先进集体和先进个人 (a default the office confirms or replaces)."""
        name = self.name
        for suffix in ("评选表彰活动", "评选表彰"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        return name.replace("先进集体、先进个人", "先进集体和先进个人")

    @property
    def commendation_subject(self) -> str:
        """“关于表彰（…）的决定”: the office's wording, else the one derived from the name."""
        return self.decision_subject or self.derived_subject()

    def derived_achievement(self) -> str:
        """The subject without who is commended: the plan's own category names (模范集体和优秀
        个人, or one of them), else 先进集体/先进个人."""
        subject = self.derived_subject()
        names = [c.name for c in self.categories.all()] if self.pk else []
        suffixes = {"和".join(names), "、".join(names), *names}
        suffixes |= {"先进集体和先进个人", "先进集体", "先进个人"}
        for suffix in sorted((s for s in suffixes if s), key=len, reverse=True):
            if subject.endswith(suffix) and subject != suffix:
                return subject.removesuffix(suffix)
        return subject

    @property
    def achievement_on_certificates(self) -> str:
        """“在（…）中成绩突出” on the certificates: the office's wording, else derived."""
        return self.certificate_achievement or self.derived_achievement()

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def __str__(self):
        return self.name

    def phase(self, key: str):
        return self.phases.filter(key=key).first()


class CampaignPhase(AuditedModel):
    """A dated step of the campaign: start, material deadline, end …"""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    key = models.SlugField(_("标识"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("工作阶段")
        verbose_name_plural = _("工作阶段")
        ordering = ["campaign", "sort_order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="campaigns_phase_unique_key")
        ]

    def __str__(self):
        return f"{self.campaign.short_name or self.campaign.name}：{self.name}"

    @property
    def audit_parent(self):
        return self.campaign


class CampaignMember(AuditedModel):
    """A member of the leading group or of its office (attachment 1-1), printed on documents."""

    class Group(models.TextChoices):
        LEADING_GROUP = "leading_group", _("领导小组")
        OFFICE = "office", _("领导小组办公室")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")
    group = models.CharField(_("所在机构"), max_length=20, choices=Group.choices)
    duty = models.CharField(_("职务（组内）"), max_length=20)
    name = models.CharField(_("姓名"), max_length=30)
    position = models.CharField(_("单位及职务"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["campaign", "group", "sort_order"]

    def __str__(self):
        return f"{self.get_group_display()} {self.duty} {self.name}"

    @property
    def audit_parent(self):
        return self.campaign


class AwardCategory(AuditedModel):
    """What is awarded: the honour title, how many, and the prize (C-2)."""

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("先进集体")
        INDIVIDUAL = "individual", _("先进个人")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField(_("标识"), max_length=40)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60)
    honour_title = models.CharField(_("拟授予称号"), max_length=100)
    form_title = models.CharField(
        _("表格上的称号"),
        max_length=100,
        blank=True,
        help_text=_("推荐审批表、汇总表上印的称号；不填则与拟授予称号相同。"),
    )
    treatment = models.CharField(
        _("享受待遇"),
        max_length=100,
        blank=True,
        help_text=_(
            "表彰文件明确的待遇（如“享受省级劳动模范待遇”）；填写后获奖者记入表彰人员数据库。"
        ),
    )
    commendation_level = models.CharField(_("表彰层级"), max_length=20, default="省级")
    award_count = models.PositiveIntegerField(_("表彰名额"))
    plaque = models.BooleanField(_("颁发奖牌"), default=False)
    certificate = models.BooleanField(_("颁发证书"), default=False)
    bonus_amount = models.DecimalField(
        _("奖金（元/人）"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    @property
    def title_on_forms(self) -> str:
        return self.form_title or self.honour_title

    class Meta:
        verbose_name = _("表彰类别")
        verbose_name_plural = _("表彰类别")
        ordering = ["campaign", "sort_order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="campaigns_category_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def audit_parent(self):
        return self.campaign


class AchievementCondition(AuditedModel):
    """One of the "at least one of" achievement conditions of a category (C-6, C-7)."""

    category = models.ForeignKey(AwardCategory, on_delete=models.CASCADE, related_name="conditions")
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("条件"))

    class Meta:
        verbose_name = _("评选条件")
        verbose_name_plural = _("评选条件")
        ordering = ["category", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "number"], name="campaigns_condition_unique"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:30]}"

    @property
    def audit_parent(self):
        return self.category.campaign
