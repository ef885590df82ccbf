from django import forms
from django.utils.translation import gettext_lazy as _

from laurel.campaigns.models import AwardCategory, Campaign
from laurel.campaigns.services.campaigns import CAMPAIGN_FIELDS, CATEGORY_FIELDS
from laurel.core.models import Division
from laurel.orgs.models import Unit


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ("slug", *CAMPAIGN_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office_unit"].queryset = Unit.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields.pop("slug")

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
