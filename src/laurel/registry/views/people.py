"""The honoree database: search, a person's page (with logged unmasking), statistics, the
office's bulk import."""

from __future__ import annotations

import tempfile
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from laurel.core.http import (
    get_visible_or_404,
    require_perm,
    window,
)
from laurel.core.spreadsheets import workbook_bytes
from laurel.core.text import escape
from laurel.registry import forms, privacy, queries, statistics
from laurel.registry.interfaces import spreadsheets
from laurel.registry.models import Honour, Person
from laurel.registry.services import bulk
from laurel.registry.services.privacy import log_id_search, unmask
from laurel.registry.signals import person_sections
from laurel.registry.tasks import refresh_statistics

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def people(request):
    require_perm(request.user, "registry.search_people")
    form = forms.SearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    queryset = queries.search_people(
        queries.people_of(request.user),
        see_classified=request.user.has_perm("registry.view_classified"),
        **criteria,
    )
    if criteria.get("id_number"):
        log_id_search(request.user, criteria["id_number"], queryset.count())
    if request.GET.get("format") == "xlsx":
        honours = Honour.objects.filter(person__in=queryset.values("pk"))
        out = tempfile.TemporaryFile()
        spreadsheets.database_export(honours, request.user, out)
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename="registry-people.xlsx")
    # No COUNT over the whole registry; plain values, not model instances (whose change-log
    # snapshot and field set this read-only page does not need).
    # Deep pages walk the offset on the (name, id) index alone (issue 22: page 200).
    page = window(
        request, queryset.order_by("name", "pk").values(*_ROW_FIELDS), narrow_after=NARROW_AFTER
    )
    return render(
        request,
        "registry/people.html",
        {
            "form": form,
            "filters": forms.filters_html(form),
            "page": page,
            "rows": _people_rows(request.user, page),
        },
    )


NARROW_AFTER = 2

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

    names = {pk: escape(name) for pk, name in queries.division_names().items()}
    link = escape(reverse("registry:person", args=[0])[:-2])  # ".../people/0/" → ".../people/"
    classified = f' <span class="tag warn">{escape(_("涉密"))}</span>'
    living, dead = escape(_("健在")), escape(_("已故"))
    retired = escape(" · " + _("离退休"))

    def row(values):
        person = SimpleNamespace(**values)
        seen = privacy.shown(user, person)
        mark = classified if seen.desensitised else ""
        place = "" if seen.desensitised else names.get(person.division_id, "")
        state = (living if person.living else dead) + (retired if person.retired else "")
        return (
            f'<tr><td><a href="{link}{int(person.pk)}/">{escape(seen.name)}</a>{mark}</td>'
            f"<td>{escape(seen.id_number)}</td><td>{escape(seen.unit_name)}</td>"
            f"<td>{place}</td><td>{state}</td></tr>"
        )

    # Every value above is escaped as it is written in.
    return mark_safe("\n".join(row(person) for person in page))


@login_required
def person_detail(request, pk):
    person = get_visible_or_404(Person.objects.select_related("division", "unit"), request.user, pk)
    seen = privacy.shown(request.user, person)
    if request.method == "POST" and request.POST.get("action") == "unmask":
        seen = unmask(request.user, person)
    return render(
        request,
        "registry/person.html",
        {
            "person": person,
            "seen": seen,
            "honours": person.honours.all(),
            "may_unmask": request.user.has_perm("registry.view_personal_data", person)
            and not seen.desensitised,
            "sections": [
                section
                for _receiver, section in person_sections.send(
                    sender=Person, person=person, user=request.user, seen=seen
                )
                if section
            ],
        },
    )


@login_required
def statistics_view(request):
    require_perm(request.user, "registry.view_statistics")
    if request.method == "POST":
        require_perm(request.user, "registry.manage_drives")

        refresh_statistics.enqueue()
        messages.success(request, _("已安排重新统计。"))
        return redirect("registry:statistics")
    rollup = statistics.jurisdiction_rollup(request.user)
    data = statistics.tables(request.user, rollup)
    if request.GET.get("format") == "xlsx":
        stamp = _("导出：%(user)s，%(time)s") % {
            "user": request.user.get_full_name() or request.user.get_username(),
            "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        }
        sheets = [
            (key, f"{statistics.TITLES[key]}（{stamp}）", [_("项目"), _("数量")], rows)
            for key, rows in data.items()
        ]
        return xlsx_response(workbook_bytes(sheets), "registry-statistics.xlsx")
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
            "refreshed_at": statistics.refreshed_at(request.user, rollup),
            "can_refresh": request.user.has_perm("registry.manage_drives"),
        },
    )


@login_required
def database_import(request):
    """The office imports filed honours straight into the database (all or nothing)."""

    require_perm(request.user, "registry.import_database")
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
