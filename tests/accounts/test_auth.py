import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from laurel.accounts.services import users as user_service
from laurel.core.models import AuditLog
from laurel.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password, fragment",
    [
        ("Ab1-short", "至少"),  # 9 characters
        ("abcdefghijkl", "2类"),  # one class only
        ("398475629183", "2类"),  # digits only
    ],
)
def test_password_policy_refuses_with_chinese_reasons(password, fragment):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(fragment in message for message in error.value.messages)


def test_password_policy_accepts_a_mixed_ten_character_password():
    validate_password("Laurel-2026x")


@override_settings(
    AUTH_PASSWORD_VALIDATORS=[
        {
            "NAME": "laurel.accounts.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 14},
        },
        {
            "NAME": "laurel.accounts.password_validation.CharacterClassValidator",
            "OPTIONS": {"min_classes": 3},
        },
    ]
)
def test_password_policy_is_configurable():
    with pytest.raises(ValidationError):
        validate_password("Laurel-2026x")  # 12 < 14
    with pytest.raises(ValidationError):
        validate_password("laurel-long-long")  # long enough, but lowercase and symbols only
    validate_password("Laurel-2026-long")


def _login(client, username, password, **meta):
    return client.post("/login/", {"username": username, "password": password}, **meta)


def test_login_with_good_password_reaches_the_inbox(client, world):
    user = world.user(Role.NOMINATING_BODY)
    response = _login(client, user.username, "Laurel-Test-2026")
    assert response.status_code == 302 and response["Location"] == "/inbox/"


def test_wrong_password_says_so_in_chinese(client, world):
    user = world.user(Role.NOMINATING_BODY)
    response = _login(client, user.username, "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_until_an_admin_unlocks_it(client, world):
    user = world.user(Role.NOMINATING_BODY)
    for _ in range(3):
        _login(client, user.username, "wrong-password")
    response = _login(client, user.username, "Laurel-Test-2026")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    admin = world.user(Role.SYSTEM_ADMIN)
    user_service.unlock_user(admin, user)
    assert _login(client, user.username, "Laurel-Test-2026").status_code == 302
    assert AuditLog.objects.for_object(user).filter(changes__0__field="lockout").exists()


@override_settings(AXES_FAILURE_LIMIT=3, LAUREL_TRUSTED_PROXIES=["127.0.0.1"])
def test_h6_an_address_locks_itself_out_of_an_account_not_the_owner(client, world):
    """Issue 19: five requests from anywhere locked ``admin`` for everyone for 30 minutes. The
    count is per username *and* address (the client's, from nginx's X-Forwarded-For; what a
    client writes into that header itself is not believed)."""
    user = world.user(Role.NOMINATING_BODY)
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    owner = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(3):
        _login(client, user.username, "wrong-password", **attacker)
    assert _login(client, user.username, "Laurel-Test-2026", **attacker).status_code == 429
    client.logout()
    assert _login(client, user.username, "Laurel-Test-2026", **owner).status_code == 302
    client.logout()
    # Claiming the owner's address in a forged header, the attacker is still itself.
    forged = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.66"}
    assert _login(client, user.username, "Laurel-Test-2026", **forged).status_code == 429


def test_session_expires_after_idle_time_and_renews_with_activity(client, world, settings):
    user = world.user(Role.NOMINATING_BODY)
    client.force_login(user)
    assert client.get("/inbox/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    renewed = session.expire_date
    assert renewed > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    session.expire_date = timezone.now() - datetime.timedelta(seconds=1)
    session.save()
    response = client.get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_user_with_an_admin_set_password_must_change_it_first(client, world):
    admin = world.user(Role.SYSTEM_ADMIN)
    user = world.user(Role.NOMINATING_BODY)
    user_service.reset_password(admin, user, "Temporary-Pass-2026")
    user.refresh_from_db()
    client.force_login(user)
    assert client.get("/inbox/")["Location"] == "/password/"
    # the administrator's password kept as "new" would stay known to the administrator
    again = {"old_password": "Temporary-Pass-2026"}
    again |= {"new_password1": "Temporary-Pass-2026", "new_password2": "Temporary-Pass-2026"}
    assert "新密码不能与原密码相同" in client.post("/password/", again).content.decode()
    assert client.get("/inbox/")["Location"] == "/password/"
    response = client.post(
        "/password/",
        {
            "old_password": "Temporary-Pass-2026",
            "new_password1": "My-Own-Pass-2026",
            "new_password2": "My-Own-Pass-2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/inbox/").status_code == 200


def test_own_password_change_refuses_a_wrong_old_password(client, world):
    user = world.user(Role.NOMINATING_BODY)
    client.force_login(user)
    response = client.post(
        "/password/",
        {
            "old_password": "not-it",
            "new_password1": "My-Own-Pass-2026",
            "new_password2": "My-Own-Pass-2026",
        },
    )
    assert "原密码不正确" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Laurel-Test-2026")


@override_settings(AXES_FAILURE_LIMIT=100, LAUREL_LOGIN_ADDRESS_LIMIT=4)
def test_h6_one_address_guessing_over_many_accounts_is_stopped(client, world):
    """django-axes counts one username from one address; an address that tries one password on
    many accounts is stopped by the hourly cap on its failures — and the accounts are not."""
    users = [world.user(Role.NOMINATING_BODY) for _ in range(4)]
    guesser = {"REMOTE_ADDR": "203.0.113.66"}
    for user in users:
        assert _login(client, user.username, "wrong-password", **guesser).status_code == 200
    response = _login(client, users[0].username, "Laurel-Test-2026", **guesser)
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode()
    owner = {"REMOTE_ADDR": "198.51.100.7"}
    assert _login(client, users[0].username, "Laurel-Test-2026", **owner).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=100, LAUREL_LOGIN_USER_LIMIT=3)
def test_h6_one_account_guessed_from_many_addresses_is_stopped(client, world):
    user = world.user(Role.NOMINATING_BODY)
    for last in range(3):
        _login(client, user.username, "wrong-password", REMOTE_ADDR=f"203.0.113.{last}")
    response = _login(client, user.username, "Laurel-Test-2026", REMOTE_ADDR="203.0.113.99")
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode()
    # An administrator's unlock lifts it for the owner.
    user_service.unlock_user(world.user(Role.SYSTEM_ADMIN), user)
    assert (
        _login(client, user.username, "Laurel-Test-2026", REMOTE_ADDR="203.0.113.99").status_code
        == 302
    )
    client.logout()
    other = world.user(Role.NOMINATING_BODY)
    assert (
        _login(client, other.username, "Laurel-Test-2026", REMOTE_ADDR="203.0.113.99").status_code
        == 302
    )
