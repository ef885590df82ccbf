from django import forms
from django.utils.translation import gettext_lazy as _

from laurel.core.forms import PaperLetterForm, scan_field
from laurel.treatment.models import (
    Cause,
    HardshipApplication,
    HardshipBand,
    StatusReturn,
    StatusReview,
)


class PolicyForm(forms.Form):
    file = forms.FileField(label=_("政策文件（YAML）"), required=False)
    text = forms.CharField(
        label=_("或粘贴文件内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        max_length=200_000,
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > 200_000:
                raise forms.ValidationError({"file": _("政策文件不能超过200KB。")})
            try:
                data["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    {"file": _("政策文件应为 UTF-8 编码的文本。")}
                ) from None
            data["source"] = upload.name
        elif not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请选择政策文件或粘贴文件内容。"))
        return data


# --- hardship assistance ------------------------------------------------------------------


class HardshipForm(forms.ModelForm):
    causes = forms.MultipleChoiceField(
        label=_("困难原因"), choices=Cause.choices, widget=forms.CheckboxSelectMultiple
    )
    circumstances = forms.CharField(
        label=_("困难情况说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("家庭成员、患病或受灾情况、收入来源等。仅审核单位可见，不予公示。"),
    )

    class Meta:
        model = HardshipApplication
        fields = ("household_size", "income_per_head", "causes", "circumstances")

    def service_fields(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


DECISIONS = [("agree", _("同意")), ("send_back", _("退回修改")), ("reject", _("不予帮扶"))]


class HardshipOpinionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核意见"), choices=DECISIONS, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("意见说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    officer_name = forms.CharField(label=_("负责人"), max_length=50, required=False)
    # the function the page names (a merged bureau signs each of its two in turn)
    function = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    # the round the page showed: a page opened before a send-back never signs the next round
    round = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class HardshipPaperForm(PaperLetterForm):
    decision = forms.ChoiceField(label=_("审核意见"), choices=DECISIONS, widget=forms.RadioSelect)
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


class ApproveForm(forms.Form):
    band = forms.ModelChoiceField(
        label=_("帮扶档次"), queryset=HardshipBand.objects.filter(active=True), empty_label=None
    )
    amount = forms.DecimalField(label=_("批准金额（元）"), max_digits=10, decimal_places=2)
    payer = forms.ChoiceField(
        label=_("经费承担"), choices=HardshipApplication.Payer.choices, initial="province"
    )
    approval_number = forms.CharField(label=_("批准文号"), max_length=100)


class RefuseForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("省级意见"), choices=DECISIONS[1:], widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        label=_("支付日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    amount = forms.DecimalField(label=_("支付金额（元）"), max_digits=10, decimal_places=2)
    reference = forms.CharField(label=_("支付凭证号"), max_length=100)


class BandForm(forms.ModelForm):
    class Meta:
        model = HardshipBand
        fields = ("name", "low", "high", "description", "sort_order", "active")


# --- the yearly status review -------------------------------------------------------------

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class StatusReviewForm(forms.ModelForm):
    class Meta:
        model = StatusReview
        fields = (
            "name",
            "year",
            "document_number",
            "units_due",
            "counties_due",
            "cities_due",
            "province_due",
        )
        widgets = {
            f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for f in ("units_due", "counties_due", "cities_due", "province_due")
        }


class ReportForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("人员状态"), choices=StatusReturn.Outcome.choices, widget=forms.RadioSelect
    )
    died_on = forms.DateField(label=_("去世日期"), required=False, **DATE)
    retired_on = forms.DateField(label=_("退休日期"), required=False, **DATE)
    unit_name = forms.CharField(label=_("现工作单位"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)


class PaperReturnForm(ReportForm):
    scan = scan_field()


class CheckForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("核实意见"),
        choices=[("agree", _("核实无误")), ("send_back", _("退回重报"))],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("说明"), max_length=500, required=False)
