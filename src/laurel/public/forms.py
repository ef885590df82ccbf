from django import forms
from django.utils.translation import gettext_lazy as _

from laurel.public.services.notices import CONTACT_MAX, CONTENT_MAX


class ObjectionForm(forms.Form):
    """The public objection form. Limits are also enforced by the service; the form's own
    max_length is a little larger so that the service's message (with the count) is shown."""

    nominee = forms.TypedChoiceField(label=_("对哪位推荐对象提出异议"), coerce=int)
    content = forms.CharField(
        label=_("异议内容"),
        max_length=CONTENT_MAX * 10,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": CONTENT_MAX}),
        help_text=_("请实事求是地写明具体事实，不超过%d字。") % CONTENT_MAX,
    )
    contact = forms.CharField(
        label=_("联系方式（选填，便于核查反馈）"),
        required=False,
        max_length=CONTACT_MAX * 10,
        widget=forms.TextInput(attrs={"maxlength": CONTACT_MAX}),
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].choices = [("", "---------")] + [
            (e.nominee_id, e.name or e.nominee.name) for e in entries if not e.nominee.is_withdrawn
        ]


class NoticeForm(forms.Form):
    nominees = forms.MultipleChoiceField(label=_("公示对象"), widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(
        label=_("公示开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    contact = forms.CharField(label=_("受理异议的联系人及电话"), max_length=200)
    level = forms.ChoiceField(label=_("公示层级"))

    def __init__(self, *args, nominees, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominees"].choices = [
            (str(n.pk), f"{n.name}（{n.category.name}）") for n in nominees
        ]
        self.fields["level"].choices = levels


class ResolveForm(forms.Form):
    founded = forms.ChoiceField(
        label=_("核查结论"),
        choices=[("0", _("不属实，继续推荐")), ("1", _("属实，撤销推荐"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("核查情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
