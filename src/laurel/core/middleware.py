import re
import uuid

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from . import audit, throttle

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id for the audit trail: the one a trusted proxy (nginx's
    ``$request_id``, ``LAUREL_TRUSTED_PROXIES``) passes on, if sane; never a client's own (it
    could make its rows look like another request's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        remote = throttle.address(request.META.get("REMOTE_ADDR", ""))
        from_proxy = remote is not None and throttle.trusted(remote)
        keep = from_proxy and _REQUEST_ID.match(incoming)
        request.id = incoming if keep else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


class AuditActorMiddleware:
    """Attribute audited writes made while serving a request to the logged-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        tokens = audit.set_request_context(actor, getattr(request, "id", ""))
        try:
            return self.get_response(request)
        finally:
            audit.reset_request_context(tokens)


class NoStoreMiddleware:
    """Nothing a signed-in user sees, no API answer and no download is kept by a browser or a
    proxy cache (a shared office computer, an intranet cache): ``Cache-Control: no-store``. The
    public site (notices, verification) may be cached as usual. Also refuses, before reading it,
    a request body larger than ``LAUREL_MAX_REQUEST_MB`` (413, in Chinese)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.LAUREL_MAX_REQUEST_MB * 2**20
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return HttpResponse(
                _("提交的内容超过%d MB，已拒绝。请压缩或拆分文件后重新上传。")
                % settings.LAUREL_MAX_REQUEST_MB,
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = user is not None and user.is_authenticated
        download = "attachment" in response.get("Content-Disposition", "")
        if personal or download or request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response
