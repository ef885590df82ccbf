"""Optional intranet login (issue 19): the directory checks the password of an account that
exists in Laurel; local accounts keep working. Against a real OpenLDAP (Debian's slapd),
started by the test itself on a free port of 127.0.0.1 (`make ldap` installs slapd and
python-ldap; `make test` runs it)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory, override_settings

from laurel.accounts.models import User
from laurel.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SUFFIX = "dc=laurel,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
DIRECTORY_PASSWORD = "Dir-Pass-2026"
BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "laurel.accounts.ldap.DirectoryBackend",
    "rules.permissions.ObjectPermissionBackend",
    "laurel.accounts.backends.PasswordBackend",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    """A slapd of its own: an mdb database with two people, torn down after the module."""
    try:
        import ldap
    except ImportError:
        pytest.fail("python-ldap is missing: run `make ldap` (Debian libldap2-dev, slapd).")
    if not Path(SLAPD).exists():
        pytest.fail("slapd is missing: run `make ldap` (apt-get install slapd ldap-utils).")
    import ldap

    folder = tmp_path_factory.mktemp("slapd")
    (folder / "db").mkdir()
    conf = folder / "slapd.conf"
    conf.write_text(
        "\n".join(
            [
                "include /etc/ldap/schema/core.schema",
                "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/inetorgperson.schema",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                f"pidfile {folder / 'slapd.pid'}",
                "database mdb",
                f'suffix "{SUFFIX}"',
                f'rootdn "{ROOT_DN}"',
                f"rootpw {ROOT_PASSWORD}",
                f"directory {folder / 'db'}",
                "maxsize 10485760",
                "",
            ]
        ),
        encoding="utf-8",
    )
    port = _free_port()
    url = f"ldap://127.0.0.1:{port}"
    process = subprocess.Popen(
        [SLAPD, "-f", str(conf), "-h", f"{url}/", "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    admin = None
    for _attempt in range(100):
        try:
            admin = ldap.initialize(url)
            admin.simple_bind_s(ROOT_DN, ROOT_PASSWORD)
            break
        except ldap.LDAPError:
            if process.poll() is not None:
                pytest.fail("slapd did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("slapd did not answer within 10 s")
    entries = [
        (SUFFIX, {"objectClass": [b"dcObject", b"organization"], "dc": [b"laurel"], "o": [b"L"]}),
        (f"ou=people,{SUFFIX}", {"objectClass": [b"organizationalUnit"], "ou": [b"people"]}),
    ]
    for uid in ("wangfang", "stranger"):
        entries.append(
            (
                f"uid={uid},ou=people,{SUFFIX}",
                {
                    "objectClass": [b"inetOrgPerson"],
                    "uid": [uid.encode()],
                    "cn": [uid.encode()],
                    "sn": [uid.encode()],
                    "userPassword": [DIRECTORY_PASSWORD.encode()],
                },
            )
        )
    for dn, attributes in entries:
        admin.add_s(dn, list(attributes.items()))
    admin.unbind_s()
    yield url
    process.terminate()
    process.wait(timeout=10)


def _settings(url: str):
    return override_settings(
        AUTHENTICATION_BACKENDS=BACKENDS,
        AUTH_LDAP_SERVER_URI=url,
        AUTH_LDAP_USER_DN_TEMPLATE=f"uid=%(user)s,ou=people,{SUFFIX}",
    )


def _authenticate(**credentials):
    """Django's authenticate with a request, as the login view calls it (axes needs one)."""
    return authenticate(RequestFactory().post("/login/"), **credentials)


def _login(client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def _directory_account(**extra):
    user = UserFactory(username="wangfang", roles=[Role.PROVINCIAL_OFFICE], **extra)
    user.directory_login = True
    user.set_unusable_password()
    user.save()
    return user


def test_h6_an_account_logs_in_with_its_directory_password(client, directory):
    user = _directory_account()
    with _settings(directory):
        response = _login(client, "wangfang", DIRECTORY_PASSWORD)
        assert response.status_code == 302, response.content.decode()[:500]
        assert client.get("/inbox/").status_code == 200
        kept = User.objects.get(pk=user.pk)  # the office's account, untouched by the directory
        assert (kept.full_name, kept.unit_id) == (user.full_name, user.unit_id)
        assert list(kept.role_assignments.values_list("role", flat=True)) == [
            Role.PROVINCIAL_OFFICE
        ]
        client.logout()
        assert _login(client, "wangfang", "wrong-password").status_code == 200
        assert client.get("/inbox/").status_code == 302


def test_h6_the_directory_alone_gives_nobody_an_account(client, directory):
    with _settings(directory):
        assert _authenticate(username="stranger", password=DIRECTORY_PASSWORD) is None
        assert _login(client, "stranger", DIRECTORY_PASSWORD).status_code == 200
    assert not User.objects.filter(username="stranger").exists()


def test_h6_a_deactivated_account_is_refused_though_the_directory_agrees(client, directory):
    from laurel.accounts.services.users import set_user_active

    user = _directory_account()
    admin = UserFactory(roles=[Role.SYSTEM_ADMIN])
    with _settings(directory):
        assert _login(client, "wangfang", DIRECTORY_PASSWORD).status_code == 302
        assert client.get("/inbox/").status_code == 200
        set_user_active(admin, user, False, "调离")
        # the session already open ends too
        assert client.get("/inbox/").status_code == 302
        assert _authenticate(username="wangfang", password=DIRECTORY_PASSWORD) is None


def test_h6_only_accounts_marked_for_the_directory_and_only_by_their_exact_name(client, directory):
    """Someone who owns a directory uid equal to a Laurel username gets nothing unless the
    administrator marked that account; other spellings of the name never reach the account
    (django-axes counts failures per name as typed)."""
    user = UserFactory(username="wangfang", roles=[Role.PROVINCIAL_OFFICE])
    with _settings(directory):
        assert _authenticate(username="wangfang", password=DIRECTORY_PASSWORD) is None
        user.directory_login = True
        user.save()
        assert _authenticate(username="wangfang", password=DIRECTORY_PASSWORD) == user
        for spelling in ("WangFang", "WANGFANG"):  # the directory itself ignores case
            assert _authenticate(username=spelling, password=DIRECTORY_PASSWORD) is None


def test_h6_a_directory_login_is_not_sent_to_change_a_local_password(client, directory):
    """A new account must change the password it was given — but one logging in with the
    directory's has none here to change."""
    user = _directory_account(must_change_password=True)
    with _settings(directory):
        assert _login(client, "wangfang", DIRECTORY_PASSWORD).status_code == 302
        assert client.get("/inbox/").status_code == 200
        # the administrator unticks the directory: the session's flag no longer waives it
        User.objects.filter(pk=user.pk).update(directory_login=False)
        assert client.get("/inbox/")["Location"] == "/password/"


def test_local_accounts_keep_working_also_when_the_directory_is_down(directory):
    local = UserFactory(username="local-clerk", roles=[Role.NOMINATING_UNIT])
    local.set_password("Local-Pass-2026")
    local.save()
    with _settings(directory):
        assert _authenticate(username="local-clerk", password="Local-Pass-2026") == local
    with _settings(f"ldap://127.0.0.1:{_free_port()}"):  # nothing listens there
        assert _authenticate(username="local-clerk", password="Local-Pass-2026") == local
        assert _authenticate(username="wangfang", password=DIRECTORY_PASSWORD) is None


@pytest.mark.parametrize("module", ["laurel.settings", "laurel.settings_production"])
def test_the_directory_is_switched_on_by_the_environment_only(module, settings):
    """LAUREL_LDAP_URL (and the DN template) switch it on, in the demo's settings and in
    production's; without it no directory is asked."""
    import os
    import sys

    assert "laurel.accounts.ldap.DirectoryBackend" not in settings.AUTHENTICATION_BACKENDS
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AUTHENTICATION_BACKENDS.index('laurel.accounts.ldap.DirectoryBackend')); "
        "print(s.AUTH_LDAP_SERVER_URI); print(s.AUTH_LDAP_USER_DN_TEMPLATE); "
        "print(s.AUTH_LDAP_NO_NEW_USERS)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "LAUREL_LDAP_URL": "ldaps://ldap.jl.gov.invalid",
        "LAUREL_LDAP_USER_DN_TEMPLATE": "uid=%(user)s,ou=staff,dc=jl,dc=gov",
        # what production insists on, so that it starts
        "LAUREL_SECRET_KEY": "x" * 60,
        "LAUREL_FIELD_KEYS": "bGF1cmVsLWxkYXAtdGVzdC1maWVsZC1rZXktMzJieXQ=",  # 32 bytes
        "LAUREL_LOOKUP_KEY": "lookup-" + "y" * 40,
        "LAUREL_ALLOWED_HOSTS": "laurel.invalid",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        "LAUREL_CACHE_URL": "redis://127.0.0.1:6379/1",
        "LAUREL_PUBLIC_URL": "https://laurel.invalid",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[:4] == [
        "1",
        "ldaps://ldap.jl.gov.invalid",
        "uid=%(user)s,ou=staff,dc=jl,dc=gov",
        "True",
    ]
