"""Who is asking (the real client address behind trusted proxies) and how often (hourly
allowances kept in the shared cache: Redis in production, so every worker counts together).

Written here rather than taken from a library: django-ipware reads forwarded headers by
proxy *count* and trusts them whenever present, which behind one nginx returned the address a
client wrote into its own X-Forwarded-For; the rule below trusts the header only when the
request came from a listed proxy (``LAUREL_TRUSTED_PROXIES``), as nginx's realip module does."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.cache import cache


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, unless that is a trusted proxy — then the
    right-most address of X-Forwarded-For that is not itself a trusted proxy (each proxy appends
    the address it was called from; what a client writes itself stays on the left)."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or ""
    trusted = set(settings.LAUREL_TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            return remote  # a malformed chain: count it against the proxy, not a guess
        if address not in trusted:
            return address
    return remote


def spend(scope: str, client: str, per_hour: int) -> bool:
    """Count one more request of ``client`` in ``scope``; False once its hourly allowance is
    used. Atomic in Redis (``incr``), so concurrent workers cannot both take the last one."""
    key = f"laurel:rate:{scope}:{client}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        count = 1
    return count <= per_hour
