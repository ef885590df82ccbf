import pytest


@pytest.fixture
def live_server(transactional_db):
    """pytest-django's live server, but stopped after each test, so that its threads' database
    connections are gone before the test database is dropped (PostgreSQL refuses to drop a
    database that is still in use)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()
