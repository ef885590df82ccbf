"""Issue 19: API tokens expire, end with the account's password, activity and roles, and do not
work while the password must be changed (H-6: personal data only to who may still see it)."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from laurel.accounts.services import users as user_service
from laurel.api.services.tokens import issue_token
from laurel.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def admin(world):
    return world.user(Role.SYSTEM_ADMIN)


@pytest.fixture
def clerk(world):
    return UserFactory(unit=world.cc_housing, roles=[Role.NOMINATING_BODY, Role.NOMINATING_UNIT])


def test_h6_a_token_expires(clerk):
    key = issue_token(clerk)
    assert _client(key).get("/api/campaigns/").status_code == 200
    stored = AuthToken.objects.filter(digest=hash_token(key))
    stored.update(created=timezone.now() - datetime.timedelta(days=91))
    response = _client(key).get("/api/campaigns/")
    assert response.status_code == 401 and "已过期" in response.json()["detail"]
    with override_settings(LAUREL_API_TOKEN_DAYS=120):
        assert _client(key).get("/api/campaigns/").status_code == 200


def test_h6_a_password_reset_ends_the_token_and_the_forced_change_blocks_the_api(
    admin, clerk, client
):
    key = issue_token(clerk)
    user_service.reset_password(admin, clerk, "Xinmima-2026!", "忘记密码")
    assert not AuthToken.objects.filter(user=clerk).exists()
    assert _client(key).get("/api/campaigns/").status_code == 401
    # A new token, or the web session, while the password must still be changed: refused.
    clerk.refresh_from_db()
    fresh = issue_token(clerk)
    response = _client(fresh).get("/api/campaigns/")
    assert response.status_code == 401 and "修改密码" in response.json()["detail"]
    client.force_login(clerk)
    response = client.get("/api/campaigns/")  # the session: sent to change the password first
    assert response.status_code == 302 and response["Location"] == "/password/"
    user_service.change_own_password(clerk, "Xinmima-2026!", "Zijide-mima-2026")
    assert not AuthToken.objects.filter(user=clerk).exists()  # the change ends it too
    assert _client(issue_token(clerk)).get("/api/campaigns/").status_code == 200


def test_h6_deactivation_and_a_role_taken_away_end_the_token(admin, clerk):
    key = issue_token(clerk)
    user_service.update_user(admin, clerk, roles=[Role.NOMINATING_BODY, Role.NOMINATING_UNIT])
    assert AuthToken.objects.filter(digest=hash_token(key)).exists()  # the same roles: no change
    user_service.update_user(admin, clerk, roles=[Role.NOMINATING_UNIT], reason="岗位调整")
    assert _client(key).get("/api/campaigns/").status_code == 401
    key = issue_token(clerk)
    user_service.set_user_active(admin, clerk, False, "调离")
    assert not AuthToken.objects.filter(digest=hash_token(key)).exists()
    assert _client(key).get("/api/campaigns/").status_code == 401


def test_h6_the_database_and_its_backups_hold_no_working_token(clerk, tmp_path):
    """A token is kept as django-rest-knox's SHA-512 digest: nothing stored works as a key."""
    from django.core.management import call_command

    key = issue_token(clerk)
    stored = AuthToken.objects.get(user=clerk)
    assert key not in {stored.digest, stored.token_key} and stored.token_key == key[:15]
    dump = tmp_path / "dump.json"
    call_command("dumpdata", "knox", output=str(dump))
    assert key not in dump.read_text()
    assert _client(stored.digest).get("/api/campaigns/").status_code == 401
    assert _client(key[:15]).get("/api/campaigns/").status_code == 401
    assert _client(key).get("/api/campaigns/").status_code == 200


def test_h6_tokens_issued_before_knox_are_digested_and_keep_working_until_they_expire(clerk):
    """The migration from DRF's plain tokens: each becomes a digest (its age kept, so the
    expiry still counts from its issue), and no plain row is left."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("laurel.api.migrations.0001_hashed_tokens")
    other = UserFactory(unit=clerk.unit, roles=[Role.NOMINATING_UNIT])
    recent, old = "0123456789abcdef0123456789abcdef01234567", "f" * 40
    timestamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE "authtoken_token" ("key" varchar(40) NOT NULL PRIMARY KEY, '
            f'"created" {timestamp} NOT NULL, "user_id" integer NOT NULL UNIQUE)'
        )
        for key, days, user in ((recent, 10, clerk), (old, 100, other)):
            cursor.execute(
                "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
                [key, timezone.now() - datetime.timedelta(days=days), user.pk],
            )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    state = MigrationExecutor(connection).loader.project_state(("api", "0001_hashed_tokens"))
    migration.digest_tokens(state.apps, editor)
    assert _client(recent).get("/api/campaigns/").status_code == 200
    response = _client(old).get("/api/campaigns/")
    assert response.status_code == 401 and "已过期" in response.json()["detail"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute('DROP TABLE "authtoken_token"')
    stored = AuthToken.objects.get(user=clerk)
    assert stored.digest == hash_token(recent) and recent not in stored.token_key + stored.digest
