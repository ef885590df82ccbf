from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.accounts.forms import OwnPasswordForm, SetPasswordForm, UserCreateForm, UserUpdateForm
from laurel.accounts.interfaces import spreadsheets
from laurel.accounts.models import User
from laurel.accounts.services import users as user_service
from laurel.core.forms import ReasonForm, SheetUploadForm
from laurel.core.http import (
    apply_service_errors,
    error_messages,
    get_visible_or_404,
    list_export,
    messages_from_errors,
    paginate,
    require_perm,
    set_active_from_post,
    text_param,
    wants_xlsx,
    xlsx_download,
)
from laurel.core.models import AuditLog
from laurel.core.spreadsheets import RowError


@login_required
def password_change(request):
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_service.change_own_password(
                request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。"))
            return redirect("pages:inbox")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "help_texts": password_validators_help_texts()},
    )


@login_required
def user_list(request):
    require_perm(request.user, "accounts.manage_users")
    users = (
        User.objects.restrict(request.user)
        .select_related("unit")
        .prefetch_related("role_assignments")
    )
    query = text_param(request, "q")
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(full_name__icontains=query)
            | Q(unit__name__icontains=query)
        )
    if wants_xlsx(request):
        return list_export(
            _("用户"),
            [_("用户名"), _("姓名"), _("单位"), _("角色"), _("状态")],
            (
                (
                    u.username,
                    u.full_name,
                    str(u.unit or ""),
                    "、".join(a.get_role_display() for a in u.role_assignments.all()),
                    _("启用") if u.is_active else _("停用"),
                )
                for u in users
            ),
            "users.xlsx",
        )
    return render(
        request, "accounts/user_list.html", {"page": paginate(request, users), "q": query}
    )


@login_required
def user_detail(request, pk):
    require_perm(request.user, "accounts.manage_users")
    user = get_visible_or_404(User.objects.select_related("unit"), request.user, pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": user,
            "audit_rows": AuditLog.objects.for_object(user)[:200],
            "reason_form": ReasonForm(),
            "password_form": SetPasswordForm(),
        },
    )


@login_required
def user_import(request):
    """Users from a filled-in template: every bad cell reported by row and column, or all of
    them created at once with initial passwords shown this once."""
    require_perm(request.user, "accounts.manage_users")
    if request.GET.get("template"):
        return xlsx_download(spreadsheets.template(), "users-template.xlsx")
    form = SheetUploadForm(request.POST or None, request.FILES or None)
    problems, passwords = [], []
    if request.method == "POST" and form.is_valid():
        rows, problems = spreadsheets.parse(form.cleaned_data["file"].read())
        if not problems:
            try:
                passwords = user_service.import_users(request.user, rows)
            except (ValidationError, PermissionDenied) as error:
                problems = [RowError(0, _("导入"), m) for m in error_messages(error)]
    return render(
        request,
        "core/sheet_import.html",
        {
            "title": _("从表格导入用户"),
            "form": form,
            "problems": problems,
            "created": [user for user, _password in passwords],
            "passwords": passwords,
            "template_url": reverse("accounts:user_import") + "?template=1",
            "back_url": reverse("accounts:user_list"),
            "back_label": _("用户管理"),
        },
    )


@login_required
def user_create(request):
    require_perm(request.user, "accounts.manage_users")
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_service.create_user(
                request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                roles=form.cleaned_data["roles"],
                **form.profile(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已新增用户：%s") % user)
            return redirect("accounts:user_detail", pk=user.pk)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": _("新增用户"), "help_texts": password_validators_help_texts()},
    )


@login_required
def user_edit(request, pk):
    require_perm(request.user, "accounts.manage_users")
    person = get_visible_or_404(User.objects.all(), request.user, pk)
    form = UserUpdateForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = user_service.update_user(
                request.user,
                User.objects.get(pk=pk),
                roles=form.cleaned_data["roles"],
                reason=form.cleaned_data["reason"],
                **form.profile(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已保存：%s") % person)
            return redirect("accounts:user_detail", pk=person.pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "title": _("修改用户"), "person": person}
    )


@login_required
@require_POST
def user_set_active(request, pk):
    require_perm(request.user, "accounts.manage_users")
    person = get_visible_or_404(User.objects.all(), request.user, pk)
    return set_active_from_post(
        request, person, user_service.set_user_active, reverse("accounts:user_detail", args=[pk])
    )


@login_required
@require_POST
def user_reset_password(request, pk):
    require_perm(request.user, "accounts.manage_users")
    person = get_visible_or_404(User.objects.all(), request.user, pk)
    form = SetPasswordForm(request.POST)
    if form.is_valid():
        try:
            user_service.reset_password(request.user, person, form.cleaned_data["password"])
        except ValidationError as error:
            messages_from_errors(request, error=error)
        else:
            messages.success(request, _("已重置密码，该用户下次登录时须修改密码。"))
    else:
        messages_from_errors(request, form)
    return redirect("accounts:user_detail", pk=pk)


@login_required
@require_POST
def user_unlock(request, pk):
    require_perm(request.user, "accounts.manage_users")
    person = get_visible_or_404(User.objects.all(), request.user, pk)
    user_service.unlock_user(request.user, person)
    messages.success(request, _("已解除该用户的登录锁定。"))
    return redirect("accounts:user_detail", pk=pk)
