from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laurel.accounts.models import User
from laurel.core import throttle
from laurel.core.roles import Role
from laurel.core.throttle import client_ip
from laurel.core.validators import validate_phone
from laurel.orgs.models import Unit


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续多次输入错误，账号将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")

    def clean(self):
        """Beside django-axes (five failures of one username from one address), two hourly
        caps: failures from one address over all accounts, and failures of one account over
        all addresses — guessing spread over many accounts or many addresses stops too."""
        address = client_ip(self.request) if self.request is not None else ""
        username = (self.cleaned_data.get("username") or "").strip().lower()
        caps = (
            ("login-address", address, settings.LAUREL_LOGIN_ADDRESS_LIMIT),
            ("login-user", username, settings.LAUREL_LOGIN_USER_LIMIT),
        )
        if any(key and throttle.exceeded(scope, key, limit) for scope, key, limit in caps):
            raise ValidationError(
                _("登录失败次数过多，请一小时后再试，或联系系统管理员。"), code="too_many"
            )
        try:
            return super().clean()
        except ValidationError:
            for scope, key, limit in caps:
                if key:
                    throttle.spend(scope, key, limit)
            raise


class UserProfileForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = User
        fields = ("full_name", "unit", "position", "phone", "email", "directory_login")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["unit"].required = True
        self.fields["unit"].queryset = Unit.objects.restrict(user).filter(is_active=True)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(self.instance.role_codes)

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        return validate_phone(value) if value else ""

    def profile(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class UserCreateForm(UserProfileForm):
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.-]{3,40}$",
        error_messages={"invalid": _("用户名为3至40位字母、数字或 _ . -。")},
    )
    password1 = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput)

    field_order = [
        "username",
        "full_name",
        "unit",
        "position",
        "phone",
        "email",
        "directory_login",
        "roles",
    ]

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class UserUpdateForm(UserProfileForm):
    reason = forms.CharField(label=_("修改原因"), max_length=500, required=False)


class SetPasswordForm(forms.Form):
    password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("确认新密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class OwnPasswordForm(forms.Form):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    new_password1 = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("确认新密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的密码不一致。"))
        return data
