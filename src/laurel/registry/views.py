"""Registry pages: the database (search, person), statistics, drives, registrations."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.core import crypto
from laurel.core.db import startswith
from laurel.core.http import (
    apply_service_errors,
    get_visible_or_404,
    paginate,
    require_perm,
    window,
)
from laurel.registry import checks, forms
from laurel.registry.models import Drive, DriveContact, Person, Registration
from laurel.registry.services import privacy, registrations, routing, spreadsheets, statistics

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def division_names() -> dict[int, str]:
    """Full names of all divisions (a division's ``full_name`` walks its parents one query at a
    time); reference data, kept five minutes in the cache."""
    from django.core.cache import cache

    return cache.get_or_set("registry:division-names", _division_names, 300)


def _division_names() -> dict[int, str]:
    from laurel.core.models import Division

    return {d.pk: name for d, name in Division.objects.full_names().items()}


# --- the database --------------------------------------------------------------------------


@login_required
def people(request):
    require_perm(request.user, "registry.search_people")
    form = forms.SearchForm(request.GET or None)
    queryset = Person.objects.restrict(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["name"]:
            queryset = startswith(queryset, "name", data["name"].strip())
        if data["id_number"]:
            queryset = queryset.filter(id_hash=crypto.lookup_hash(data["id_number"]))
        if data["unit"]:
            queryset = queryset.filter(unit_name__contains=data["unit"].strip())
        if data["division"]:
            from laurel.core.models import Division

            path = Division.objects.filter(pk=data["division"]).values_list("path", flat=True)
            queryset = queryset.filter(division__path__startswith=path.first() or "-")
        if data["kind"]:
            queryset = queryset.filter(honours__kind=data["kind"])
        if data["year"]:
            queryset = queryset.filter(honours__awarded_on__year=data["year"])
        if data["kind"] or data["year"]:
            queryset = queryset.distinct()
    if request.GET.get("format") == "xlsx":
        import tempfile

        from django.http import FileResponse

        from laurel.registry.models import Honour

        honours = Honour.objects.filter(person__in=queryset.values("pk"))
        out = tempfile.TemporaryFile()
        spreadsheets.database_export(honours, request.user, out)
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename="registry-people.xlsx")
    # No COUNT over the whole registry; plain values, not model instances (whose change-log
    # snapshot and field set this read-only page does not need).
    page = window(request, queryset.order_by("name", "pk").values(*_ROW_FIELDS))
    return render(
        request,
        "registry/people.html",
        {"form": form, "page": page, "rows": _people_rows(request.user, page)},
    )


_ROW_FIELDS = (
    "pk",
    "name",
    "id_masked",
    "phone_masked",
    "unit_name",
    "position",
    "classified",
    "division_id",
    "living",
    "retired",
)


def _people_rows(user, page) -> str:
    """The table rows of a page of people, escaped by ``format_html``: the registry list is the
    busiest page, and fifty rows through the template engine cost more than the rest of the page
    (issue 10; docs/performance.md)."""
    from django.urls import reverse
    from django.utils.html import format_html, format_html_join

    names = division_names()
    link = reverse("registry:person", args=[0])[:-2]  # ".../people/0/" → ".../people/"
    classified = format_html(' <span class="tag warn">{}</span>', _("涉密"))
    living, dead, retired = _("健在"), _("已故"), " · " + _("离退休")

    def row(values):
        person = SimpleNamespace(**values)
        seen = privacy.shown(user, person)
        return (
            f"{link}{person.pk}/",
            seen.name,
            classified if seen.desensitised else "",
            seen.id_number,
            seen.unit_name,
            names.get(person.division_id, ""),
            (living if person.living else dead) + (retired if person.retired else ""),
        )

    return format_html_join(
        "\n",
        '<tr><td><a href="{}">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (row(person) for person in page),
    )


@login_required
def person_detail(request, pk):
    person = get_visible_or_404(Person.objects.select_related("division", "unit"), request.user, pk)
    seen = privacy.shown(request.user, person)
    if request.method == "POST" and request.POST.get("action") == "unmask":
        seen = privacy.unmask(request.user, person)
    return render(
        request,
        "registry/person.html",
        {
            "person": person,
            "seen": seen,
            "honours": person.honours.all(),
            "may_unmask": request.user.has_perm("registry.view_personal_data", person)
            and not seen.desensitised,
        },
    )


@login_required
def statistics_view(request):
    require_perm(request.user, "registry.view_statistics")
    if request.method == "POST":
        require_perm(request.user, "registry.manage_drives")
        from laurel.registry.tasks import refresh_statistics

        refresh_statistics.enqueue()
        messages.success(request, _("已安排重新统计。"))
        return redirect("registry:statistics")
    data = statistics.tables(request.user)
    if request.GET.get("format") == "xlsx":
        from django.utils import timezone

        from laurel.core.spreadsheets import workbook_bytes

        stamp = _("导出：%(user)s，%(time)s") % {
            "user": request.user.get_full_name() or request.user.get_username(),
            "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        }
        sheets = [
            (key, f"{statistics.TITLES[key]}（{stamp}）", [_("项目"), _("数量")], rows)
            for key, rows in data.items()
        ]
        return _xlsx(workbook_bytes(sheets), "registry-statistics.xlsx")
    charts = []
    for key, rows in data.items():
        top = max((n for _label, n in rows), default=0) or 1
        charts.append(
            {
                "key": key,
                "title": statistics.TITLES[key],
                "rows": [(label, n, round(n * 400 / top)) for label, n in rows[:40]],
                "height": 22 * min(len(rows), 40) + 4,
            }
        )
    return render(
        request,
        "registry/statistics.html",
        {
            "charts": charts,
            "refreshed_at": statistics.refreshed_at(request.user),
            "can_refresh": request.user.has_perm("registry.manage_drives"),
        },
    )


# --- drives ----------------------------------------------------------------------------------


@login_required
def drives(request):
    form = forms.DriveForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "registry.manage_drives")
        if form.is_valid():
            try:
                drive = registrations.open_drive(request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("已开展统计登记工作。"))
                return redirect("registry:drive", drive.pk)
    return render(
        request,
        "registry/drives.html",
        {
            "drives": Drive.objects.all(),
            "form": form,
            "can_manage": request.user.has_perm("registry.manage_drives"),
        },
    )


@login_required
def drive_detail(request, pk):
    drive = get_object_or_404(Drive, pk=pk)
    visible = Registration.objects.restrict(request.user).filter(drive=drive)
    contact_form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and request.user.unit_id:
        if contact_form.is_valid():
            try:
                registrations.submit_contact(
                    request.user, drive, request.user.unit, **contact_form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("已报送负责人员联系表。"))
                return redirect("registry:drive", drive.pk)
    counts = {}
    for state, tier in visible.values_list("state", "current_tier"):
        key = (
            dict(Registration.Tier.choices).get(tier)
            if state == Registration.State.SUBMITTED
            else dict(Registration.State.choices)[state]
        )
        counts[str(key)] = counts.get(str(key), 0) + 1
    overdue = [r for r in registrations.overdue(drive) if visible.filter(pk=r.pk).exists()]
    return render(
        request,
        "registry/drive.html",
        {
            "drive": drive,
            "counts": sorted(counts.items()),
            "overdue": [(r, routing.deadline(drive, r)) for r in overdue],
            "contacts": DriveContact.objects.restrict(request.user)
            .filter(drive=drive)
            .select_related("unit"),
            "contact_form": contact_form,
        },
    )


# --- registrations ---------------------------------------------------------------------------


def _open_drive():
    return Drive.objects.filter(status=Drive.Status.OPEN).first()


@login_required
def registration_list(request):
    queryset = (
        Registration.objects.restrict(request.user)
        .select_related("filing_unit", "drive")
        .order_by("-pk")
    )
    state = request.GET.get("state")
    if state in Registration.State.values:
        queryset = queryset.filter(state=state)
    page = paginate(request, queryset)
    rows = [(r, privacy.shown(request.user, r)) for r in page]
    return render(
        request,
        "registry/registrations.html",
        {
            "page": page,
            "rows": rows,
            "drive": _open_drive(),
            "states": Registration.State.choices,
            "can_add": request.user.has_perm("registry.add_registration"),
        },
    )


def _honour_rows(formset) -> list[dict]:
    return [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset.forms
        if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@login_required
def registration_edit(request, pk=None):
    registration = None
    if pk is not None:
        registration = get_visible_or_404(Registration.objects.all(), request.user, pk)
        require_perm(request.user, "registry.change_registration", registration)
    else:
        require_perm(request.user, "registry.add_registration")
    drive = registration.drive if registration else _open_drive()
    if drive is None:
        messages.error(request, _("目前没有进行中的统计登记工作。"))
        return redirect("registry:registrations")
    initial = [
        {f: getattr(h, f) for f in forms.HonourForm.Meta.fields}
        for h in (registration.honours.all() if registration else [])
    ]
    form = forms.RegistrationForm(request.POST or None, instance=registration)
    formset = forms.HonourFormSet(request.POST or None, initial=initial, prefix="honours")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if registration is None:
                unit = request.user.unit
                if unit is None:
                    raise PermissionDenied(_("您的账号没有所属单位，不能登记。"))
                registration = registrations.create_registration(
                    request.user,
                    drive,
                    unit,
                    id_number=form.cleaned_data["id_number"],
                    phone=form.cleaned_data["phone"],
                    honours=_honour_rows(formset),
                    **form.person_fields(),
                )
            else:
                registrations.update_registration(
                    request.user,
                    registration,
                    id_number=form.cleaned_data["id_number"] or None,
                    phone=form.cleaned_data["phone"] or None,
                    **form.person_fields(),
                )
                registrations.set_honours(request.user, registration, _honour_rows(formset))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("登记表已保存。"))
            return redirect("registry:registration", registration.pk)
    return render(
        request,
        "registry/registration_edit.html",
        {"form": form, "formset": formset, "registration": registration, "drive": drive},
    )


@login_required
def registration_detail(request, pk):
    registration = get_visible_or_404(
        Registration.objects.select_related("filing_unit", "drive", "household_division"),
        request.user,
        pk,
    )
    honours = list(registration.honours.all())
    findings = checks.findings(registration, honours)
    seen = privacy.shown(request.user, registration)
    can_review = False
    if registration.state == Registration.State.SUBMITTED and request.user.unit_id:
        expected = routing.reviewers(registration)
        mine = [f for f, unit in expected.items() if unit and unit.pk == request.user.unit_id]
        done = set(
            registration.opinions.filter(
                round=registration.round, tier=registration.current_tier
            ).values_list("function", flat=True)
        )
        can_review = bool(mine) and not set(mine) <= done
    return render(
        request,
        "registry/registration.html",
        {
            "r": registration,
            "seen": seen,
            "honours": honours,
            "findings": findings,
            "route": [dict(Registration.Tier.choices)[t] for t in registration.route],
            "opinions": registration.opinions.select_related("department"),
            "can_change": request.user.has_perm("registry.change_registration", registration)
            and registration.state in (Registration.State.DRAFT, Registration.State.SENT_BACK),
            "can_review": can_review,
            "opinion_form": forms.OpinionForm(),
            "deadline": routing.deadline(registration.drive, registration),
            "evidence": registration.evidence_files.all(),
        },
    )


@login_required
@require_POST
def registration_submit(request, pk):
    registration = get_visible_or_404(Registration.objects.all(), request.user, pk)
    try:
        registrations.submit_registration(request.user, registration)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("登记表已上报。"))
    return redirect("registry:registration", pk)


@login_required
@require_POST
def registration_review(request, pk):
    registration = get_visible_or_404(Registration.objects.all(), request.user, pk)
    form = forms.OpinionForm(request.POST)
    if form.is_valid():
        try:
            registrations.record_opinion(request.user, registration, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(request, _("审核意见已提交（已签字盖章）。"))
    else:
        messages.error(request, _("请选择审核意见。"))
    return redirect("registry:registration", pk)


@login_required
@require_POST
def evidence_upload(request, pk):
    from laurel.registry.services.evidence import add_evidence

    registration = get_visible_or_404(Registration.objects.all(), request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            add_evidence(request.user, registration, upload, request.POST.get("title", ""))
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(request, _("佐证材料已上传。"))
    return redirect("registry:registration", pk)


@login_required
def evidence_download(request, pk):
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    from laurel.registry.models import Evidence

    evidence = get_object_or_404(Evidence.objects.select_related("registration"), pk=pk)
    get_visible_or_404(Registration.objects.all(), request.user, evidence.registration_id)
    try:
        handle = default_storage.open(evidence.file, "rb")
    except OSError:
        raise Http404(_("该佐证材料的文件已不存在，请重新上传。")) from None
    return FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=True,
        filename=f"{evidence.title}.{evidence.file.rsplit('.', 1)[-1]}",
    )


@login_required
def registration_form_docx(request, pk):
    from laurel.documents import docx
    from laurel.registry.documents import registration_form

    registration = get_visible_or_404(Registration.objects.all(), request.user, pk)
    document = registration_form(registration, request.user)
    response = HttpResponse(
        docx.render(document),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="registration-{registration.pk}.docx"'
    return response


@login_required
def summary_template(request):
    require_perm(request.user, "registry.add_registration")
    return _xlsx(spreadsheets.template_bytes(), "registry-summary-template.xlsx")


@login_required
def summary_export(request):
    queryset = (
        Registration.objects.restrict(request.user)
        .select_related("household_division")
        .prefetch_related("honours")
        .order_by("filing_unit__name", "pk")
    )
    full = request.user.has_perm("registry.view_classified")  # the office exports in full
    content = spreadsheets.export_bytes(queryset, request.user, full=full)
    if full:  # an export with full ID numbers is an unmasking too
        privacy.log_full_export(request.user, Registration, queryset.count())
    return _xlsx(content, "registry-summary.xlsx")


@login_required
def registration_import(request):
    require_perm(request.user, "registry.add_registration")
    drive = _open_drive()
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and drive is not None and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > spreadsheets.MAX_UPLOAD:
            form.add_error("file", _("文件不能超过10 MB。"))
        else:
            content = upload.read()
            try:
                people_rows, errors, merges = spreadsheets.parse(content)
            except ValidationError as error:
                form.add_error("file", error)
            else:
                report = {"errors": errors, "merges": merges, "people": people_rows}
                token = hashlib.sha256(content).hexdigest()
                if not errors and request.POST.get("confirm") == token:
                    try:
                        made = spreadsheets.save(
                            request.user, drive, request.user.unit, people_rows
                        )
                    except (ValidationError, PermissionDenied) as error:
                        report["errors"] = getattr(error, "messages", [str(error)])
                    else:
                        messages.success(request, _("已导入%d份登记表。") % len(made))
                        return redirect("registry:registrations")
                report["token"] = token
    return render(request, "registry/import.html", {"form": form, "report": report, "drive": drive})


@login_required
def database_import(request):
    """The office imports filed honours straight into the database (all or nothing)."""
    from laurel.registry.services import bulk

    require_perm(request.user, "registry.manage_drives")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 50 * 1024 * 1024:
            form.add_error("file", _("文件不能超过50 MB。"))
        else:
            try:
                result = bulk.import_database(request.user, upload.read())
            except ValidationError as error:
                form.add_error("file", error)
            else:
                if not result.error_count:
                    messages.success(
                        request,
                        _("已导入：新增%(new)d人，更新%(updated)d人，新增荣誉%(honours)d项。")
                        % {
                            "new": result.people_new,
                            "updated": result.people_updated,
                            "honours": result.honours_added,
                        },
                    )
    return render(request, "registry/database_import.html", {"form": form, "result": result})


# --- inbox -----------------------------------------------------------------------------------


def registrations_inbox_section(user):
    if not user.unit_id:
        return None
    pending = []
    for registration in (
        Registration.objects.restrict(user)
        .filter(state=Registration.State.SUBMITTED)
        .select_related("filing_unit__division", "division")[:200]
    ):
        expected = routing.reviewers(registration)
        if any(unit and unit.pk == user.unit_id for unit in expected.values()):
            done = registration.opinions.filter(
                round=registration.round,
                tier=registration.current_tier,
                department_id=user.unit_id,
            ).exists()
            if not done:
                pending.append(registration)
    if not pending:
        return None
    return {"template": "registry/inbox.html", "context": {"pending": pending}}
