from django import forms
from django.utils.translation import gettext_lazy as _


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
