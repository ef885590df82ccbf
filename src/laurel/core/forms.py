from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from laurel.core.models import CalendarYear
from laurel.core.text import escape


class CalendarOverrideForm(forms.Form):
    date = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    is_working_day = forms.TypedChoiceField(
        label=_("当天为"),
        choices=[("0", _("休息日（法定节假日）")), ("1", _("工作日（调休上班）"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("说明"), max_length=100, required=False)


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    note = forms.CharField(
        label=_("依据"),
        max_length=200,
        help_text=_("如：国务院办公厅关于该年度部分节假日安排的通知（国办发明电〔…〕…号）"),
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if CalendarYear.objects.filter(year=year).exists():
            raise forms.ValidationError(_("%(year)d年已标记为补录完成。") % {"year": year})
        return year


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlainSelect(forms.Select):
    """A flat ``<select>`` written directly with ``format_html``: Django renders every option
    through its own template, which made the select boxes of a search form cost more than the
    fifty result rows of the busiest list (docs/performance.md). No option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(option)}"{" selected" if str(option) in chosen else ""}>'
            f"{escape(label)}</option>"
            for option, label in self.choices
        )
        return mark_safe(f"<select{flatatt(attrs)}>{options}</select>")  # every part escaped above


class PlainInput:
    """An ``<input>`` written directly with ``format_html`` — what Django's input template
    writes (type, name, the value unless empty, then the attributes), without a template render
    per field: the search forms above the busiest lists (docs/performance.md)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>', self.input_type, name, shown, flatatt(attrs)
        )


class PlainTextInput(PlainInput, forms.TextInput):
    pass


class PlainNumberInput(PlainInput, forms.NumberInput):
    pass


class SheetUploadForm(forms.Form):
    """A filled-in template (.xlsx) to import."""

    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label=_("填好的表格（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过5 MB。"))
        return upload


def scan_field() -> forms.FileField:
    """The scan of a sealed letter (a paper opinion)."""
    return forms.FileField(
        label=_("意见扫描件"),
        help_text=_("盖章意见的扫描件，PDF 或 JPEG，不超过10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class PaperLetterForm(forms.Form):
    """A tier's opinion received on paper from a department without an account: which
    department (``departments``: function → unit), then the letter's conclusion, text, signer,
    date and scan. Subclasses declare ``decision`` and ``text``."""

    function = forms.ChoiceField(label=_("审核部门"))
    officer_name = forms.CharField(label=_("签发人（经办人）"), max_length=30)
    decided_on = forms.DateField(
        label=_("落款日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    scan = scan_field()
    field_order = ("function", "decision", "text", "officer_name", "decided_on", "scan")

    def __init__(self, *args, departments: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].choices = [(f, str(unit)) for f, unit in departments.items()]
