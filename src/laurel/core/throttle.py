"""Who is asking (the real client address behind trusted proxies) and how often (hourly
allowances kept in the shared cache: Redis in production, so every worker counts together).

Written here rather than taken from a library: django-ipware reads forwarded headers by
proxy *count* and trusts them whenever present, which behind one nginx returned the address a
client wrote into its own X-Forwarded-For; the rule below trusts the header only when the
request came from a listed proxy (``LAUREL_TRUSTED_PROXIES``), as nginx's realip module does."""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)  # "::ffff:127.0.0.1" is 127.0.0.1
    return mapped or address


def _trusted(address) -> bool:
    """In LAUREL_TRUSTED_PROXIES: single addresses or networks ("10.0.0.0/24")."""
    for entry in settings.LAUREL_TRUSTED_PROXIES:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, unless that is a trusted proxy — then the
    right-most address of X-Forwarded-For that is not itself a trusted proxy (each proxy appends
    the address it was called from; what a client writes itself stays on the left)."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    if not _trusted(remote):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            return str(remote)  # a malformed chain: count it against the proxy, not a guess
        if not _trusted(address):
            return str(address)
    return str(remote)


# An IPv6 client is counted twice: by its /64 (one phone or household, which may take a new
# address in it for every request) and by its /48 (the largest block a provider gives one
# customer), at SITE_SHARE times the allowance — a campus behind one /48 still serves several
# people, a household given a /56 or /48 cannot rotate across its /64s without end.
SITE_PREFIX = 48
SITE_SHARE = 4


def _keys(scope: str, client: str, per_hour: int) -> list[tuple[str, int]]:
    """The counts a request of ``client`` spends, each with its hourly allowance: an IPv4
    client by its address; an IPv6 client by its /64 and by its /48."""
    address = _address(client)
    if not isinstance(address, ipaddress.IPv6Address):
        return [(f"laurel:rate:{scope}:{client}", per_hour)]
    return [
        (f"laurel:rate:{scope}:{ipaddress.IPv6Network((address, prefix), strict=False)}", allowance)
        for prefix, allowance in ((64, per_hour), (SITE_PREFIX, per_hour * SITE_SHARE))
    ]


def _spend_one(key: str) -> int:
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        return 1


def spend(scope: str, client: str, per_hour: int) -> bool:
    """Count one more request of ``client`` in ``scope``; False once an hourly allowance it
    counts against is used. Atomic in Redis (``incr``), so concurrent workers cannot both take
    the last one."""
    try:
        for key, allowance in _keys(scope, client, per_hour):
            # a request refused by the /64 is not spent from the /48: one client going on
            # after its own allowance must not lock out its neighbours
            if _spend_one(key) > allowance:
                return False
    except Exception:
        logger.exception("rate limit cache unavailable; %s not counted", scope)
        return True
    return True


def forgive(scope: str, client: str) -> None:
    """Forget what ``client`` spent in ``scope`` (an administrator lifting a lock-out: its /48
    too, or the lock-out would stay)."""
    try:
        cache.delete_many([key for key, _ in _keys(scope, client, 0)])
    except Exception:
        logger.exception("rate limit cache unavailable; %s not reset", scope)


def exceeded(scope: str, client: str, per_hour: int) -> bool:
    """Whether ``client`` has used its hourly allowance in ``scope`` (without spending)."""
    try:
        keys = _keys(scope, client, per_hour)
        counts = cache.get_many([key for key, _ in keys])
        return any((counts.get(key) or 0) >= allowance for key, allowance in keys)
    except Exception:
        logger.exception("rate limit cache unavailable; %s not checked", scope)
        return False


# For the other middleware of this app (the request id): the same proxy list.
address = _address
trusted = _trusted
