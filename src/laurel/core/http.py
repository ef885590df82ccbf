"""Small helpers shared by views."""

import itertools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from laurel.core import permissions
from laurel.core.forms import ReasonForm
from laurel.core.spreadsheets import workbook_bytes

PAGE_SIZE = 50
MAX_ID = 2**63 - 1


def get_visible_or_404(queryset, user, pk, action: str = "view"):
    """The object with ``pk`` if it lies inside ``user``'s jurisdiction (or among the rows of
    ``action``); 404 otherwise.

    Objects outside the jurisdiction answer exactly like missing ones, so ids cannot be probed.
    """
    try:
        return queryset.restrict(user, action).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("未找到该记录，或您无权查看。")) from None


def int_param(request, name: str, data=None) -> int | None:
    """An integer parameter (from ``data``, by default the query string), or None when absent
    or not a number (never a 500)."""
    try:
        value = int((request.GET if data is None else data).get(name, ""))
    except (TypeError, ValueError):
        return None
    return value if abs(value) <= MAX_ID else None  # larger than any database id


def text_param(request, name: str, data=None) -> str:
    """A text parameter (by default from the query string), trimmed and without NUL characters,
    which no stored text contains and PostgreSQL refuses in a query (a 500 otherwise)."""
    value = (request.GET if data is None else data).get(name, "") or ""
    return value.replace("\x00", "").strip()


def require_perm(user, perm, obj=None):
    """A view's check of a named rule: 403 with the rule's own message — why the user may not,
    or, when the user may but the object's state does not allow it now, why not now."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(permissions.explain(user, perm, obj))


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, narrow: bool = False, annotate=None):
    """A page of ``queryset`` with its count. ``narrow``: sort and cut the page on primary keys
    only (an index can then answer it), and load the page's full rows by key afterwards — for
    wide rows, where sorting whole rows to keep fifty costs more than the page itself.
    ``annotate`` (a dict) adds columns to the page's rows; narrow, to the fifty rows only, never
    to the count and the sort (an annotation's joins would keep an index from answering them).
    An annotation must not multiply rows: single-valued relations only."""
    if not narrow:
        rows = queryset.annotate(**annotate) if annotate else queryset
        return Paginator(rows, per_page).get_page(request.GET.get("page"))
    keys = queryset.prefetch_related(None).values_list("pk", flat=True)
    page = Paginator(keys, per_page).get_page(request.GET.get("page"))
    # the page's keys as a subquery of the rows' query (one round trip), which sorts its fifty
    # rows again by the same order
    rows = queryset.filter(pk__in=page.object_list)
    page.object_list = list(rows.annotate(**annotate) if annotate else rows)
    return page


class Window:
    """One page of a list without counting the whole list (no COUNT(*) over a large table):
    fetches one row more than shown to know whether there is a next page."""

    paginator = None

    def __init__(self, rows: list, number: int, per_page: int):
        self.number = number
        self.has_next = len(rows) > per_page
        self.object_list = rows[:per_page]
        self.has_previous = number > 1
        self.previous_page_number = number - 1
        self.next_page_number = number + 1
        self.start_index = (number - 1) * per_page + 1 if self.object_list else 0

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def window(request, queryset, per_page: int = PAGE_SIZE, *, narrow_after: int | None = None):
    """One page of ``queryset`` without counting it. ``narrow_after``: from that page on, the
    rows skipped by the offset are walked as primary keys only (an index holding the sort key and
    the key answers that without reading the table) and the page's rows loaded by key — deep
    pages of a large list, where the offset walk over whole rows costs more than the page."""
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        number = 1
    number = min(number, MAX_ID // per_page)  # an offset the database can still take
    offset = (number - 1) * per_page
    if narrow_after is None or number < narrow_after:
        return Window(list(queryset[offset : offset + per_page + 1]), number, per_page)
    keys = queryset.values_list("pk", flat=True)[offset : offset + per_page + 1]
    return Window(list(queryset.filter(pk__in=keys)), number, per_page)  # one query, in order


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def messages_from_errors(request, form=None, error: ValidationError | None = None) -> None:
    """Report a form's errors (labelled by field) or a service's errors as page messages, for
    small forms that post and redirect."""
    if form is not None:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}：{message}" if label else message)
    if error is not None:
        for message in error.messages:
            messages.error(request, message)


def set_active_from_post(request, obj, service, detail_url: str):
    """POST handler body shared by "停用/启用 with a reason" forms: calls
    ``service(actor, obj, active, reason)`` and reports the outcome as a message."""

    form = ReasonForm(request.POST)
    active = request.POST.get("active") == "1"
    if not form.is_valid():
        messages.error(request, _("请填写停用或启用的原因。"))
        return redirect(detail_url)
    try:
        service(request.user, obj, active, form.cleaned_data["reason"])
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("已启用。") if active else _("已停用。"))
    return redirect(detail_url)


EXPORT_LIMIT = 50_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def wants_xlsx(request) -> bool:
    """A list page asked for its rows as a spreadsheet (``?format=xlsx``, the page's filters
    kept)."""
    return request.GET.get("format") == "xlsx"


def list_export(title: str, header, rows, filename: str) -> HttpResponse:
    """The rows a user sees on a list page as .xlsx — the same filter and the same masking as
    the page (the caller passes the page's queryset and its cells), at most 50,000 rows."""
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    content = workbook_bytes(
        [
            (
                title,
                _("%(title)s（导出：%(stamp)s）") % {"title": title, "stamp": stamp},
                [str(label) for label in header],
                itertools.islice(rows, EXPORT_LIMIT),
            )
        ]
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def xlsx_download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def error_messages(error) -> list[str]:
    """The sentences of a ValidationError or PermissionDenied, for a list of problems."""
    return list(getattr(error, "messages", None) or [str(error)])


def scan_response(opinion, filename: str = "") -> HttpResponse:
    """The scan of a paper opinion (``core.models.PaperOpinion``), shown inline and never
    cached; the caller has checked who may see it. A missing file is a clear 404."""
    if not opinion.scan_file:
        raise Http404(_("该意见没有扫描件，或您无权查看。"))
    try:
        handle = default_storage.open(opinion.scan_file, "rb")
    except OSError:
        raise Http404(_("扫描件文件已不存在，请联系省级表彰工作办公室。")) from None
    name = f"{filename}.{opinion.scan_extension}" if filename else None
    response = FileResponse(handle, content_type=opinion.scan_type, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
