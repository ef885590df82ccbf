from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurel.core.models import Division
from laurel.core.validators import validate_phone, validate_uscc
from laurel.orgs.models import Unit, UnitFunction
from laurel.orgs.services.units import UNIT_FIELDS


class UnitForm(forms.ModelForm):
    """Validates input for the unit services; never saves by itself."""

    functions = forms.MultipleChoiceField(
        label=_("单位职能"),
        choices=UnitFunction.Function.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("用于把审核、征求意见等工作分派给“某地的某部门”。"),
    )
    reason = forms.CharField(label=_("修改原因"), max_length=500, required=False)

    class Meta:
        model = Unit
        fields = UNIT_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        divisions = Division.objects.all()
        counties = Division.objects.filter(level="county")
        if not user.has_perm("orgs.place_unit_anywhere"):
            # a body places units in its own area (the service refuses anything else, with the
            # reason); a place of registration the office set elsewhere stays offered as it is
            area = Q(path__startswith=user.unit.division.path)
            divisions = divisions.filter(area)
            kept = Q(pk=self.instance.location_division_id) if self.instance.pk else Q(pk=None)
            counties = counties.filter(area | kept)
            # a central unit's people skip every tier of the area (H-4): the office's to set
            self.fields["is_central"].disabled = True
        self.fields["division"].queryset = divisions
        self.fields["location_division"].queryset = counties
        parents = Unit.objects.restrict(user).filter(is_active=True)
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = parents
        if not user.has_perm("orgs.set_unit_functions"):
            self.fields.pop("functions")
        elif self.instance.pk:
            self.fields["functions"].initial = sorted(self.instance.function_codes)
        if not self.instance.pk:
            self.fields.pop("reason")

    def clean_uscc(self):
        value = self.cleaned_data.get("uscc", "")
        return validate_uscc(value) if value else ""

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        return validate_phone(value) if value else ""

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in UNIT_FIELDS}


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("单位名称"), required=False)
    kind = forms.ChoiceField(
        label=_("单位性质"), choices=[("", _("全部")), *Unit.Kind.choices], required=False
    )
    function = forms.ChoiceField(
        label=_("职能"),
        choices=[("", _("全部")), *UnitFunction.Function.choices],
        required=False,
    )
