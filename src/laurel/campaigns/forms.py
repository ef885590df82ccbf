from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from laurel.campaigns.models import AwardCategory, Campaign, CampaignMember
from laurel.campaigns.services.campaigns import CAMPAIGN_FIELDS, CATEGORY_FIELDS
from laurel.core.models import Division
from laurel.core.validators import validate_person_name
from laurel.orgs.models import Unit, UnitFunction


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ("slug", *CAMPAIGN_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office_unit"].queryset = Unit.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields.pop("slug")
        if self.instance.pk and not self.instance.is_draft:
            self.fields["reason"] = forms.CharField(
                label=_("修改原因"),
                max_length=500,
                required=False,
                help_text=_("活动发布后修改活动、类别或阶段日期须写明原因，记入修改记录。"),
            )
            # today's derivation shown for the office to confirm or replace (issue 21)
            for name, derived in (
                ("decision_subject", self.instance.derived_subject()),
                ("certificate_achievement", self.instance.derived_achievement()),
            ):
                self.fields[name].widget.attrs["placeholder"] = derived
                self.fields[name].help_text = _("留空则使用：%s") % derived

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in CAMPAIGN_FIELDS}


class CategoryForm(forms.ModelForm):
    class Meta:
        model = AwardCategory
        fields = CATEGORY_FIELDS

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in CATEGORY_FIELDS}


class NewCategoryForm(CategoryForm):
    key = forms.SlugField(label=_("标识"), max_length=40)
    kind = forms.ChoiceField(label=_("类别"), choices=AwardCategory.Kind.choices)

    class Meta(CategoryForm.Meta):
        fields = ("key", "kind", *CATEGORY_FIELDS)


class NewBodyForm(forms.Form):
    key = forms.SlugField(label=_("标识"), max_length=60)
    name = forms.CharField(label=_("推荐单位名称"), max_length=100)
    division = forms.ModelChoiceField(
        label=_("行政区划（地区推荐单位）"), queryset=Division.objects.all(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("承办单位"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    reason = forms.CharField(
        label=_("修改原因"),
        max_length=500,
        required=False,
        help_text=_("活动发布后增加推荐单位须写明原因，记入修改记录。"),
    )

    def clean(self):
        data = super().clean()
        if not data.get("division") and not data.get("unit"):
            raise forms.ValidationError(_("请选择行政区划或承办单位（至少一项）。"))
        return data


class CopyForm(forms.Form):
    slug = forms.SlugField(label=_("新活动标识"), max_length=80)
    name = forms.CharField(label=_("新活动名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class DefinitionUploadForm(forms.Form):
    file = forms.FileField(label=_("定义文件（YAML）"))

    MAX_BYTES = 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("定义文件不能超过1 MB。"))
        try:
            return upload.name, upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("定义文件须为 UTF-8 编码的文本。")) from None


class QuotaTableForm(forms.Form):
    """One integer field per quota cell, named q<quota id>."""

    def __init__(self, *args, quotas, **kwargs):
        super().__init__(*args, **kwargs)
        self.quotas = list(quotas)
        for quota in self.quotas:
            self.fields[f"q{quota.pk}"] = forms.IntegerField(
                label=f"{quota.body}·{quota.category}",
                min_value=0,
                max_value=10000,
                initial=quota.places,
                widget=forms.NumberInput(attrs={"class": "cell", "min": 0}),
            )
        self.fields["reason"] = forms.CharField(label=_("调整原因"), max_length=500, required=False)

    def places(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.quotas}


# --- the plan's rules, edited in the pages ------------------------------------------------------

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RulesReasonMixin(forms.Form):
    reason = forms.CharField(
        label=_("修改原因"),
        max_length=500,
        required=False,
        help_text=_("活动发布后修改须写明原因，记入修改记录。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])


class EligibilityForm(RulesReasonMixin):
    """The eligibility parameters of a plan (C-5 … C-7) as plain questions."""

    excluded_admin_levels = forms.MultipleChoiceField(
        label=_("不参加评选的干部行政级别"),
        choices=Unit.AdminLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("如“副厅级（含）以上干部一般不参加评选”（C-5），勾选省部级至副厅级。"),
    )
    excluded_party_and_government_from_tier = forms.ChoiceField(
        label=_("该级（含）以上党委和政府不参加评选"),
        choices=[("", _("不限制"))]
        + [(v, label) for v, label in Unit.Tier.choices if v != Unit.Tier.OTHER],
        required=False,
    )
    title_not_granted_twice = forms.BooleanField(label=_("同一称号不重复授予"), required=False)
    prior_honoree_excluded = forms.BooleanField(
        label=_("曾获省部级以上表彰并享受待遇的，一般不参加评选"), required=False
    )
    new_contribution_window_years = forms.IntegerField(
        label=_("……近几年内做出新的突出贡献的除外（年）"),
        min_value=0,
        max_value=50,
        required=False,
    )
    collective_clean_record_since = forms.DateField(
        label=_("先进集体：自该日起未发生违法违纪、较大安全事故"),
        widget=DATE_WIDGET,
        required=False,
    )
    individual_min_continuous_years = forms.IntegerField(
        label=_("先进个人：连续从事本行业工作不少于（年）"),
        min_value=0,
        max_value=60,
        required=False,
    )
    individual_service_as_of = forms.DateField(
        label=_("先进个人：工作年限计算截至"), widget=DATE_WIDGET, required=False
    )
    individual_clean_record_since = forms.DateField(
        label=_("先进个人：自该日起无违法违纪记录"), widget=DATE_WIDGET, required=False
    )

    # form field → its place in the campaign's ``eligibility`` (docs/campaign-format.md)
    PLACES = {
        "excluded_admin_levels": ("excluded_admin_levels",),
        "excluded_party_and_government_from_tier": ("excluded_party_and_government_from_tier",),
        "title_not_granted_twice": ("title_not_granted_twice",),
        "prior_honoree_excluded": ("prior_honoree", "excluded"),
        "new_contribution_window_years": ("prior_honoree", "new_contribution_window_years"),
        "collective_clean_record_since": ("collective", "clean_record_since"),
        "individual_min_continuous_years": ("individual", "min_continuous_years"),
        "individual_service_as_of": ("individual", "service_as_of"),
        "individual_clean_record_since": ("individual", "clean_record_since"),
    }
    DATES = {
        "collective_clean_record_since",
        "individual_service_as_of",
        "individual_clean_record_since",
    }

    @classmethod
    def initial_from(cls, eligibility: dict) -> dict:
        initial = {}
        for name, place in cls.PLACES.items():
            value = eligibility
            for part in place:
                value = value.get(part) if isinstance(value, dict) else None
            if value is not None:
                initial[name] = value
        return initial

    def value(self) -> dict:
        """The ``eligibility`` the answers mean; an empty answer leaves the rule out."""
        result: dict = {}
        for name, place in self.PLACES.items():
            value = self.cleaned_data.get(name)
            if value in (None, "", [], False):
                continue
            if name in self.DATES:
                value = value.isoformat()
            target = result
            for part in place[:-1]:
                target = target.setdefault(part, {})
            target[place[-1]] = value
        return result


RATIO_COUNTS = (
    ("county_division_cadre", _("县处级（含非领导职务）干部")),
    ("sector_agency", _("本系统机关（集体和个人）")),
)


class RatioLimitForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("要求（方案原文）"), max_length=200)
    category = forms.ChoiceField(label=_("适用类别"), required=False)
    counts = forms.ChoiceField(label=_("计入比例的推荐对象"), choices=RATIO_COUNTS)
    percent = forms.DecimalField(
        label=_("比例上限（%）"), min_value=0, max_value=100, decimal_places=2
    )
    base = forms.ChoiceField(
        label=_("比例的基数"),
        choices=(("awards", _("表彰名额（评选总数）")), ("quota", _("推荐名额"))),
        initial="awards",
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("所有类别"))] + [
            (c.key, c.name) for c in categories
        ]
        self.fields["counts"].initial = RATIO_COUNTS[0][0]

    @staticmethod
    def initial_from(limit: dict) -> dict:
        return {
            "key": limit.get("key", ""),
            "text": limit.get("text", ""),
            "category": limit.get("category", ""),
            "counts": limit.get("counts", ""),
            "percent": (Decimal(str(limit.get("max_ratio", 0))) * 100).normalize(),
            "base": limit.get("base", "awards"),
        }

    def value(self) -> dict:
        data = self.cleaned_data
        row = {"key": data["key"], "text": data["text"].strip()}
        if data["category"]:
            row["category"] = data["category"]
        row["counts"] = data["counts"]
        row["max_ratio"] = float(data["percent"] / 100)
        row["base"] = data["base"]
        return row


APPLIES_TO = (
    ("collective", _("先进集体")),
    ("individual", _("先进个人")),
    ("enterprise_head", _("企业负责人（个人）")),
)


def department_choices(campaign) -> list[tuple[str, str]]:
    """The departments a clearance rule may name: the standard unit functions, the nominee's
    sector authority, and those the plan declares itself."""
    return [
        *UnitFunction.Function.choices,
        ("sector_authority", _("业务主管单位（行业管理部门）")),
        *[(d["key"], d["name"]) for d in campaign.clearance_departments],
    ]


class ClearanceRuleForm(forms.Form):
    rule = forms.CharField(label=_("规则（依据）"), max_length=200)
    applies_to = forms.MultipleChoiceField(
        label=_("适用对象"), choices=APPLIES_TO, widget=forms.CheckboxSelectMultiple
    )
    natures = forms.MultipleChoiceField(
        label=_("单位性质（不选即全部）"),
        choices=Unit.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ownership = forms.MultipleChoiceField(
        label=_("企业所有制（不选即全部）"),
        choices=Unit.Ownership.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    departments = forms.MultipleChoiceField(
        label=_("征求意见的部门"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = list(departments)

    @staticmethod
    def initial_from(row: dict) -> dict:
        fields = ClearanceRuleForm.base_fields
        return {key: row.get(key, [] if key != "rule" else "") for key in fields}

    def value(self) -> dict:
        data = self.cleaned_data
        row = {"rule": data["rule"].strip(), "applies_to": data["applies_to"]}
        for key in ("natures", "ownership"):
            if data[key]:
                row[key] = data[key]
        row["departments"] = data["departments"]
        return row


class ClearanceUseDefaultForm(RulesReasonMixin):
    use_default = forms.BooleanField(
        label=_("使用系统默认的征求意见规则（依据C-9及附件4、附件5的注释）"), required=False
    )


class MemberForm(forms.Form):
    group = forms.ChoiceField(label=_("所在机构"), choices=CampaignMember.Group.choices)
    duty = forms.CharField(label=_("职务（组内）"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=30, validators=[validate_person_name])
    position = forms.CharField(label=_("单位及职务"), max_length=100)


class ConditionsForm(RulesReasonMixin):
    """One text box per category: one achievement condition per line."""

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        for category in self.categories:
            self.fields[f"c{category.pk}"] = forms.CharField(
                label=category.name,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                initial="\n".join(c.text for c in category.conditions.all()),
                help_text=_("每行一条；推荐对象须至少具备其中一条。"),
            )
        self.order_fields([*(f"c{c.pk}" for c in self.categories), "reason"])

    def clean(self):
        data = super().clean()
        for category in self.categories:
            for number, line in enumerate(self.lines(category, data), start=1):
                if len(line) > 500:
                    self.add_error(
                        f"c{category.pk}",
                        _("第%(n)d条超过500字（现%(len)d字）。") % {"n": number, "len": len(line)},
                    )
        return data

    def lines(self, category, data=None) -> list[str]:
        text = (data or self.cleaned_data).get(f"c{category.pk}") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ReservationForm(forms.Form):
    quota = forms.ChoiceField(label=_("推荐单位·类别"))
    name = forms.CharField(label=_("单列对象"), max_length=60)
    division = forms.CharField(
        label=_("行政区划代码"),
        max_length=12,
        help_text=_("单列对象所在地区，如公主岭市 220184；该地区的推荐对象占用单列名额。"),
    )
    places = forms.IntegerField(label=_("单列名额"), min_value=1, max_value=10000)

    def __init__(self, *args, quotas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quota"].choices = [("", "—")] + [
            (str(q.pk), f"{q.body.name}·{q.category.name}") for q in quotas
        ]

    def clean_division(self):
        code = (self.cleaned_data.get("division") or "").strip()
        division = Division.objects.filter(code=code).first()
        if division is None:
            raise forms.ValidationError(_("行政区划代码“%s”不存在。") % code)
        return division

    def value(self) -> dict:
        data = self.cleaned_data
        return {
            "quota": int(data["quota"]),
            "name": data["name"].strip(),
            "division": data["division"],
            "places": data["places"],
        }


RatioLimitFormSet = forms.formset_factory(RatioLimitForm, extra=0, can_delete=True)
ClearanceRuleFormSet = forms.formset_factory(ClearanceRuleForm, extra=0, can_delete=True)
MemberFormSet = forms.formset_factory(MemberForm, extra=0, can_delete=True)
ReservationFormSet = forms.formset_factory(ReservationForm, extra=0, can_delete=True)
