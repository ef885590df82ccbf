"""core.throttle: whose address a request counts against, and the hourly allowance."""

import pytest
from django.test import RequestFactory, override_settings

from laurel.core import throttle


def _request(remote, forwarded=""):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(LAUREL_TRUSTED_PROXIES=[])
def test_without_a_trusted_proxy_the_header_is_not_believed():
    assert throttle.client_ip(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


@override_settings(LAUREL_TRUSTED_PROXIES=["10.0.0.0/24"])
@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        # a proxy inside the trusted network: the right-most untrusted hop is the client
        ("10.0.0.7", "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        # two trusted hops in a row are both skipped
        ("10.0.0.7", "203.0.113.9, 10.0.0.8", "203.0.113.9"),
        # the proxy's address written as IPv4 mapped into IPv6 is the same proxy
        ("::ffff:10.0.0.7", "203.0.113.9", "203.0.113.9"),
        # outside the network: not a proxy, its header is the client's own words
        ("10.0.1.7", "203.0.113.9", "10.0.1.7"),
        # a malformed chain counts against the proxy, never against a guessed address
        ("10.0.0.7", "203.0.113.9, not-an-address", "10.0.0.7"),
        # only trusted hops: the proxy itself
        ("10.0.0.7", "10.0.0.9", "10.0.0.7"),
    ],
)
def test_trusted_proxies_are_networks_and_mapped_addresses_count(remote, forwarded, expected):
    assert throttle.client_ip(_request(remote, forwarded)) == expected


def test_the_allowance_is_spent_and_then_refused():
    assert [throttle.spend("test", "203.0.113.5", 2) for _ in range(3)] == [True, True, False]
    assert throttle.exceeded("test", "203.0.113.5", 2)
    assert not throttle.exceeded("test", "203.0.113.6", 2)


def test_h6_an_ipv6_client_rotating_addresses_in_its_64_is_one_client():
    """A phone or household holds a whole /64 and may take a new address for every request:
    the allowance is the /64's. IPv4 clients, and other /64s, keep their own."""
    addresses = [f"2001:db8:1:2::{n:x}" for n in range(1, 5)]
    assert [throttle.spend("test", a, 2) for a in addresses] == [True, True, False, False]
    assert throttle.exceeded("test", "2001:db8:1:2:ffff::1", 2)
    assert not throttle.exceeded("test", "2001:db8:1:3::1", 2)
    assert throttle.spend("test", "2001:db8:1:3::1", 2)
    assert throttle.spend("test", "::ffff:203.0.113.9", 2)  # an IPv4 client, mapped
    assert not throttle.exceeded("test", "203.0.113.10", 2)
    throttle.forgive("test", "2001:db8:1:2::abcd")
    assert not throttle.exceeded("test", addresses[0], 2)


def test_h6_an_ipv6_client_rotating_its_64s_in_one_48_is_counted_by_the_48():
    """A household given a /56 or /48 may take a new /64 for every request: the /48 is
    counted too, at SITE_SHARE times the allowance; another /48 keeps its own."""
    share = throttle.SITE_SHARE
    rotated = [f"2001:db8:7:{n:x}::1" for n in range(2 * share + 2)]
    assert [throttle.spend("test48", a, 2) for a in rotated] == [True] * (2 * share) + [False] * 2
    assert throttle.exceeded("test48", "2001:db8:7:ffff::9", 2)  # a fresh /64 of the same /48
    assert not throttle.exceeded("test48", "2001:db8:8::1", 2)
    assert throttle.spend("test48", "2001:db8:8::1", 2)
    throttle.forgive("test48", "2001:db8:7:ffff::9")  # lifting the lock-out lifts the /48's
    assert throttle.spend("test48", "2001:db8:7:ffff::9", 2)


def test_h6_a_client_going_on_after_its_allowance_does_not_lock_out_its_48():
    """Only what a /64 was granted counts against its /48: a phone that keeps asking after its
    own allowance is refused alone, its neighbours on the carrier's /48 are not."""
    assert [throttle.spend("test48b", "2001:db8:9:1::1", 2) for _ in range(50)] == [True] * 2 + [
        False
    ] * 48
    assert throttle.spend("test48b", "2001:db8:9:2::1", 2)
    assert not throttle.exceeded("test48b", "2001:db8:9:3::1", 2)
