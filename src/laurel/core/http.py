"""Small helpers shared by views."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _

PAGE_SIZE = 50


def get_visible_or_404(queryset, user, pk):
    """The object with ``pk`` if it lies inside ``user``'s jurisdiction; 404 otherwise.

    Objects outside the jurisdiction answer exactly like missing ones, so ids cannot be probed.
    """
    try:
        return queryset.restrict(user).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到该记录，或您无权查看。")) from None


def require_perm(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


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
