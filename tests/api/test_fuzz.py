"""Schema-driven fuzzing (schemathesis): no request the schema allows may produce a 500."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(published, cc_staff):
    """The app in process, inside the test's transaction: like Django's test client, keep the
    request signals from closing the test's database connection."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        key = AuthToken.objects.create(cc_staff)[1]
        yield schemathesis.openapi.from_wsgi(
            "/api/schema/", get_wsgi_application(), headers={"Authorization": f"Token {key}"}
        )
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(cc_staff):
    return AuthToken.objects.create(cc_staff)[1]


def test_no_request_the_schema_allows_gives_a_server_error(api_schema, token):
    """Every operation, a dozen generated requests each (valid and edge-case parameters and
    bodies), authenticated as a body user."""
    failures = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case):
            response = case.call(headers={"Authorization": f"Token {token}"})
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")

        check()
    assert operations >= 8
    assert failures == []
