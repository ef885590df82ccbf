"""Issue 19 / H-6: nothing readable from a stolen database.

The demo data is loaded and committed, then the database itself is read as an attacker would
read a copy — the SQLite file, or ``pg_dump`` of the PostgreSQL database — and no ID number and
no personal phone of the demo's people appears in it. (Institutions' published switchboard
numbers — a unit's 联系电话, a notice's 受理异议的联系人及电话 — are not personal data and stay
plain.)"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from laurel.accounts.models import User
from laurel.core import crypto
from laurel.nominations.models import Nominee
from laurel.public.models import Objection
from laurel.registry.models import DriveContact, Person, Registration


def _personal_values() -> set[str]:
    values: set[str] = set()
    for nominee in Nominee.objects.all():
        values |= {nominee.id_number, nominee.mobile, nominee.leader_phone}
    for record in [*Person.objects.all(), *Registration.objects.all()]:
        values |= {record.id_number, record.phone}
    values |= {u.phone for u in User.objects.all()}
    values |= {c.mobile for c in DriveContact.objects.all()}
    values |= {o.contact for o in Objection.objects.all()}
    return {v for v in values if v and len(v) >= 7}


def _dump() -> bytes:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = Path(settings["NAME"])
        return b"".join(
            p.read_bytes()
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal"))
            if p.exists()
        )
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed (Debian: postgresql-client)")
    command = [pg_dump, "--no-owner", "-h", settings["HOST"] or "127.0.0.1", "-U", settings["USER"]]
    if settings.get("PORT"):
        command += ["-p", str(settings["PORT"])]
    return subprocess.run(
        [*command, settings["NAME"]], capture_output=True, check=True, timeout=300
    ).stdout


@pytest.mark.django_db(transaction=True)
def test_h6_no_id_number_or_phone_of_the_demo_is_readable_in_the_database(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", "--without-finished-round", verbosity=0)
    values = _personal_values()
    assert len(values) > 40  # the demo's people are there to look for
    dump = _dump()
    assert len(dump) > 100_000
    found = sorted(v for v in values if v.encode() in dump)
    assert found == []


@pytest.mark.django_db(transaction=True)
def test_h6_reversing_the_encryption_migration_keeps_the_values(published, cc_staff, nanguan_unit):
    """Review of issue 19: migrating back narrowed the columns while they held tokens, and
    PostgreSQL cut every token to ``varchar(30)``. The reverse step writes the plain values
    back first; migrating forward encrypts them again."""
    import datetime

    from laurel.public.models import Objection, PublicNotice
    from tests.nominations.conftest import complete_individual

    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    notice = PublicNotice.objects.create(
        campaign=published,
        level="unit",
        publisher=nanguan_unit,
        title="测试公示",
        starts_on=datetime.date(2026, 6, 1),
        working_days=5,
        ends_on=datetime.date(2026, 6, 5),
        contact="王老师",
    )
    objection = Objection.objects.create(
        reference="T-0001", notice=notice, nominee=nominee, content="异议", contact="13912345678"
    )
    table = Objection._meta.db_table

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT contact FROM {table} WHERE id = %s", [objection.pk])
            return cursor.fetchone()[0]

    assert raw().startswith(crypto.TOKEN_PREFIX)
    call_command("migrate", "public", "0002", verbosity=0)
    assert raw() == "13912345678"
    call_command("migrate", "public", verbosity=0)
    assert raw().startswith(crypto.TOKEN_PREFIX)
    assert Objection.objects.get(pk=objection.pk).contact == "13912345678"


@pytest.mark.django_db
def test_h6_a_value_that_looks_like_a_token_is_encrypted_too(published, cc_staff, nanguan_unit):
    """A citizen may type anything as a contact, "gAAAAA…" or "lg1.…" included: it is
    encrypted like any other value (never stored as if it were already a token) and reads back
    as typed."""
    import datetime

    from laurel.public.models import PublicNotice
    from tests.nominations.conftest import complete_individual

    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    notice = PublicNotice.objects.create(
        campaign=published,
        level="unit",
        publisher=nanguan_unit,
        title="测试公示",
        starts_on=datetime.date(2026, 6, 1),
        working_days=5,
        ends_on=datetime.date(2026, 6, 5),
        contact="王老师",
    )
    for number, typed in enumerate(("gAAAAAB-13912345678", "lg1.13912345678"), start=2):
        objection = Objection.objects.create(
            reference=f"T-000{number}",
            notice=notice,
            nominee=nominee,
            content="异议",
            contact=typed,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT contact FROM {Objection._meta.db_table} WHERE id = %s", [objection.pk]
            )
            stored = cursor.fetchone()[0]
        assert stored != typed and "13912345678" not in stored
        assert Objection.objects.get(pk=objection.pk).contact == typed
