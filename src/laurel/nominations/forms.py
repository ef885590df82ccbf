from django import forms
from django.utils.translation import gettext_lazy as _

from laurel.core.forms import PaperLetterForm, scan_field
from laurel.core.models import CodeItem, Division
from laurel.core.text import parse_year_month
from laurel.core.validators import validate_resident_id
from laurel.nominations.models import Nominee, NomineeRecord
from laurel.nominations.models.nominees import COLLECTIVE_FIELDS, INDIVIDUAL_FIELDS
from laurel.orgs.models import Unit

SECTIONS = {
    "collective": [
        (_("集体基本信息"), COLLECTIVE_FIELDS[:8]),
        (_("负责人与所属单位"), COLLECTIVE_FIELDS[8:15]),
        (_("基本情况与主要事迹"), COLLECTIVE_FIELDS[15:]),
    ],
    "individual": [
        (_("个人基本信息"), INDIVIDUAL_FIELDS[:10]),
        (_("职务与职称"), INDIVIDUAL_FIELDS[10:18]),
        (_("工作单位"), INDIVIDUAL_FIELDS[18:29]),
        (_("主要事迹"), INDIVIDUAL_FIELDS[29:]),
    ],
}


class YearMonthField(forms.CharField):
    """A month typed as 2019.05, 2019年5月, 2019-05 or 201905."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "2019.05", "size": 10}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if hasattr(value, "year"):
            return f"{value.year}.{value.month:02d}"
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        return parse_year_month(value)


def code_choices(table: str):
    return [("", "---------")] + [
        (item.code, item.name) for item in CodeItem.objects.of(table).order_by("sort_order")
    ]


class NomineeForm(forms.ModelForm):
    """The approval form's fields; nothing is required to save a draft except the name."""

    work_start = YearMonthField(label=_("参加工作时间"), required=False)
    field_work_since = YearMonthField(
        label=_("从事本项工作起始时间"),
        required=False,
        help_text=Nominee._meta.get_field("field_work_since").help_text,
    )

    class Meta:
        model = Nominee
        fields = sorted(set(COLLECTIVE_FIELDS) | set(INDIVIDUAL_FIELDS))
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "profile": forms.Textarea(attrs={"rows": 6}),
            "deeds": forms.Textarea(attrs={"rows": 14}),
        }

    def __init__(self, *args, kind: str, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = COLLECTIVE_FIELDS if kind == "collective" else INDIVIDUAL_FIELDS
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for name, field in self.fields.items():
            field.required = name == "name"
        self.fields["name"].label = _("集体名称") if kind == "collective" else _("姓名")
        if kind == "individual":
            self.fields["ethnicity"] = forms.ChoiceField(
                label=_("民族"), choices=code_choices("ethnicity"), required=False
            )
            self.fields["political_status"] = forms.ChoiceField(
                label=_("政治面貌"), choices=code_choices("political_status"), required=False
            )
            self.fields["education"] = forms.ChoiceField(
                label=_("学历"), choices=code_choices("education"), required=False
            )
            self.fields["degree"] = forms.ChoiceField(
                label=_("学位"), choices=code_choices("degree"), required=False
            )
            self.fields["ownership"].label = _("工作单位所有制类型（企业填写）")
            self.order_fields(INDIVIDUAL_FIELDS)
        else:
            self.fields["unit_division"].label = _("所在行政区划")
            self.order_fields(COLLECTIVE_FIELDS)
        if "id_number" in self.fields:  # room for a pasted spelling; normalised in clean
            self.fields["id_number"] = forms.CharField(
                label=self.fields["id_number"].label, max_length=30, required=False
            )
            self.order_fields(INDIVIDUAL_FIELDS)
        self.fields["unit_division"].queryset = Division.objects.filter(level="county")
        self.fields["unit_division"].label_from_instance = lambda d: d.full_name
        self.fields["unit_division"].help_text = _("精确到县（市、区）。")
        for name, limit in (
            ("profile", campaign.profile_max_chars),
            ("deeds", campaign.deeds_max_chars),
        ):
            if name in self.fields:
                self.fields[name].widget.attrs["data-count-max"] = limit
                self.fields[name].help_text = (
                    _("不超过%d字（不计空格和换行），以第三人称叙述。") % limit
                )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "")
        return validate_resident_id(value) if value else ""

    def sections(self, kind: str):
        for title, names in SECTIONS[kind]:
            yield title, [self[name] for name in names if name in self.fields]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class ResumeForm(forms.Form):
    start = YearMonthField(label=_("起始年月"))
    end = YearMonthField(label=_("截止年月"), required=False, help_text=_("空为至今"))
    text = forms.CharField(label=_("单位及职务"), max_length=200)


class RecordForm(forms.Form):
    date = YearMonthField(label=_("时间"))
    issuer = forms.CharField(label=_("授予（作出）机关"), max_length=100)
    text = forms.CharField(label=_("名称"), max_length=200)
    level = forms.ChoiceField(
        label=_("级别"), choices=[("", "---------"), *NomineeRecord.Level.choices], required=False
    )
    treatment = forms.BooleanField(label=_("享受省部级以上待遇"), required=False)


ResumeFormSet = forms.formset_factory(ResumeForm, extra=2, can_delete=True)
RecordFormSet = forms.formset_factory(RecordForm, extra=1, can_delete=True)


def formset_rows(formset) -> list[dict]:
    rows = []
    for form in formset:
        if not form.has_changed() or form.cleaned_data.get("DELETE"):
            continue
        data = dict(form.cleaned_data)
        data.pop("DELETE", None)
        rows.append(data)
    return rows


def initial_rows(queryset, fields) -> list[dict]:
    return [{f: getattr(obj, f) for f in fields} for obj in queryset]


class ConditionsForm(forms.Form):
    conditions = forms.MultipleChoiceField(
        label=_("符合的评选条件（至少一项）"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, category, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conditions"].choices = [
            (str(c.pk), f"{c.number}. {c.text}") for c in category.conditions.all()
        ]


class NewNomineeForm(forms.Form):
    category = forms.ModelChoiceField(label=_("类别"), queryset=None)
    name = forms.CharField(label=_("集体名称或姓名"), max_length=100)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = campaign.categories.all()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500)


class ClearanceOpinionForm(forms.Form):
    state = forms.ChoiceField(
        label=_("意见"),
        choices=[("agreed", _("同意")), ("disagreed", _("不同意")), ("verifying", _("需核实"))],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("具体意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不同意或需核实时必填。"),
    )
    officer_name = forms.CharField(label=_("经办人"), max_length=30)
    decided_on = forms.DateField(
        label=_("日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PaperOpinionForm(ClearanceOpinionForm):
    """An opinion received on paper with the department's seal (纸质意见)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer_name"].label = _("签发人（经办人）")
        self.fields["decided_on"].label = _("落款日期")
        self.fields["decided_on"].required = True
        self.fields["scan"] = scan_field()


class PaperReviewForm(PaperLetterForm):
    """A tier's opinion received on paper from a department without an account."""

    decision = forms.ChoiceField(
        label=_("审核意见"),
        choices=[("agree", _("同意")), ("disagree", _("不同意"))],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("具体意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不同意时必填。"),
    )


class ReassignForm(forms.Form):
    """The office names (or re-routes to) the department that answers a clearance request."""

    department = forms.ModelChoiceField(label=_("承办部门"), queryset=Unit.objects.none())
    reason = forms.CharField(
        label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(is_active=True).select_related("division")
        if request.function != "sector_authority":
            units = units.filter(functions__function=request.function)
        self.fields["department"].queryset = units.order_by("division__code", "name")
        self.fields["department"].label_from_instance = lambda u: f"{u.name}（{u.division.name}）"


class OfficeDecisionForm(forms.Form):
    proceed = forms.ChoiceField(
        label=_("决定"),
        choices=[("1", _("继续推荐")), ("0", _("不予推荐"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核意见"),
        choices=[("agree", _("同意")), ("disagree", _("不同意"))],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("具体意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不同意时必填。"),
    )
    officer_name = forms.CharField(label=_("经办人"), max_length=30)
    # the function the page names (a merged bureau signs each of its two in turn)
    function = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    # the round the page showed: a page opened before a send-back never signs the next round
    review_round = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
