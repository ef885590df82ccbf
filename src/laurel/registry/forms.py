from django import forms
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from laurel.core.forms import PaperLetterForm, PlainNumberInput, PlainSelect, PlainTextInput
from laurel.core.models import CodeItem, Division
from laurel.core.text import escape
from laurel.registry.models import Drive, DriveContact, Kind, RegisteredHonour, Registration
from laurel.registry.services.registrations import HONOUR_FIELDS, PERSON_FIELDS


def _ethnicities():
    return [("", "—"), *CodeItem.objects.of("ethnicity").values_list("code", "name")]


class RegistrationForm(forms.ModelForm):
    id_number = forms.CharField(label=_("身份证号码"), max_length=30)  # normalised by the service
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)

    class Meta:
        model = Registration
        fields = PERSON_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ethnicity"] = forms.ChoiceField(
            label=_("民族"), choices=_ethnicities(), required=False
        )
        self.fields["household_division"].queryset = Division.objects.order_by("code")
        if self.instance.pk:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("已登记：%s。不修改请留空。") % (
                self.instance.id_masked
            )

    def person_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class HonourForm(forms.ModelForm):
    class Meta:
        model = RegisteredHonour
        fields = HONOUR_FIELDS
        widgets = {"awarded_on": forms.DateInput(attrs={"type": "date"})}

    def has_changed(self):
        """A blank extra row stays blank even though its selects post their defaults."""
        return any(
            (self[name].data or "").strip()
            for name in ("title", "awarding_body", "awarded_on", "document_number")
        )


HonourFormSet = forms.formset_factory(HonourForm, extra=2, max_num=20, can_delete=True)


class OpinionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核意见"),
        choices=[
            ("agree", _("同意（签字盖章）")),
            ("send_back", _("退回修改")),
            ("reject", _("不予登记")),
        ],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("意见说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    officer_name = forms.CharField(label=_("负责人"), max_length=50, required=False)
    # the function the page names (a merged bureau signs each of its two in turn)
    function = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    # the round the page showed: a page opened before a send-back never signs the next round
    round = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class PaperOpinionForm(PaperLetterForm):
    """A tier's opinion on a registration received on paper from a department without an
    account."""

    decision = forms.ChoiceField(
        label=_("审核意见"),
        choices=[("agree", _("同意")), ("send_back", _("退回修改")), ("reject", _("不予登记"))],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("意见说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    officer_name = forms.CharField(label=_("签发人（负责人）"), max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].label = _("审核单位")


class DriveForm(forms.ModelForm):
    class Meta:
        model = Drive
        fields = (
            "name",
            "document_number",
            "contacts_due",
            "provincial_units_due",
            "counties_due",
            "cities_due",
            "province_due",
        )
        widgets = {
            f: forms.DateInput(attrs={"type": "date"})
            for f in (
                "contacts_due",
                "provincial_units_due",
                "counties_due",
                "cities_due",
                "province_due",
            )
        }


class ContactForm(forms.ModelForm):
    class Meta:
        model = DriveContact
        fields = (
            "leader_name",
            "leader_position",
            "contact_name",
            "contact_position",
            "office_phone",
            "mobile",
        )


class NoEchoInput(PlainTextInput):
    """An ID number typed for a search is not written back into the page."""

    def format_value(self, value):
        return None


def _search_divisions():
    """Province, cities and their equivalents by full name, in code order: reference data, kept
    five minutes in the cache (a model choice field queried and named them on every page)."""

    def build():
        names = Division.objects.full_names()
        return [
            ("", "—"),
            *(
                (division.pk, name)
                for division, name in sorted(names.items(), key=lambda item: item[0].code)
                if division.level != Division.Level.COUNTY
            ),
        ]

    return cache.get_or_set("registry:search-divisions", build, 300)


class SearchForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50, required=False, widget=PlainTextInput)
    id_number = forms.CharField(
        label=_("身份证号码（精确）"),
        max_length=30,
        required=False,
        widget=NoEchoInput(attrs={"autocomplete": "off"}),
    )
    unit = forms.CharField(
        label=_("工作单位"), max_length=100, required=False, widget=PlainTextInput
    )
    division = forms.TypedChoiceField(
        label=_("地区"),
        choices=_search_divisions,
        coerce=int,
        empty_value=None,
        required=False,
        widget=PlainSelect,
    )
    kind = forms.ChoiceField(
        label=_("类别"), choices=[("", "—"), *Kind.choices], required=False, widget=PlainSelect
    )
    year = forms.IntegerField(
        label=_("授予年份"),
        required=False,
        min_value=1949,
        max_value=2100,
        widget=PlainNumberInput,
    )


# The empty search form's fields as written, per language and list of areas: what the list shows
# to everyone browsing or paging (issue 22). Bounded: cleared when full.
_EMPTY_FILTERS: dict[tuple, str] = {}


def filters_html(form: SearchForm) -> str:
    """The search form's fields as the list's filter bar writes them — each field in its label,
    then its errors. A form with nothing typed into it is written once a process."""
    empty = not form.errors and not any(form.data.get(name) for name in form.fields)
    key = (get_language(), tuple(form.fields["division"].choices)) if empty else None
    html = _EMPTY_FILTERS.get(key) if empty else None
    if html is None:
        parts = []
        for field in form:
            parts.append(f"<label>{escape(field.label)} {field}</label>")
            if field.errors:
                errors = escape("；".join(field.errors))
                parts.append(
                    f'<span class="error" role="alert">{escape(field.label)}：{errors}</span>'
                )
        html = mark_safe("".join(parts))  # every part escaped or a rendered widget
        if empty:
            if len(_EMPTY_FILTERS) >= 64:
                _EMPTY_FILTERS.clear()
            _EMPTY_FILTERS[key] = html
    return html


class ImportForm(forms.Form):
    file = forms.FileField(label=_("汇总表（.xlsx）"))
