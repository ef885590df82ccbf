"""Issue 11 §5: a full backup restored into an empty database gives back every table, row for
row; encrypted ID numbers read the same with the same keys; uploaded files come back too."""

from __future__ import annotations

import io
import tarfile
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from laurel.core.backup import table_counts
from laurel.nominations.models import Nominee
from laurel.registry.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> dict[str, list]:
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(
                (
                    tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                    for row in cursor.fetchall()
                ),
                key=repr,
            )
    return rows


def _empty_the_database() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    assert connection.introspection.table_names() == []


def _files(root) -> dict:
    return {p.relative_to(root): p.read_bytes() for p in Path(root).rglob("*") if p.is_file()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_backup_restored_into_an_empty_database_gives_back_every_table(
    media, tmp_path, monkeypatch
):
    call_command("load_reference", verbosity=0)
    call_command("load_demo", "--without-finished-round", verbosity=0)
    person = Person.objects.order_by("pk").first()
    plain = person.id_number
    with_photo = Nominee.objects.exclude(photo="").order_by("pk").first()
    stored_files = _files(media)
    assert stored_files and with_photo, "the demo uploads photos"
    before = _snapshot()
    assert sum(len(rows) for rows in before.values()) > 2000

    archive = tmp_path / "laurel.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and any(n.startswith("media/") for n in names)

    _empty_the_database()
    for path in Path(media).rglob("*"):
        if path.is_file():
            path.unlink()
    out = io.StringIO()
    # unpacked where the path holds what a file: URI would misread (review: '?', '#', '%')
    odd = tmp_path / "临时 #1?x%41"
    odd.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(odd))
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "行数与备份一致" in out.getvalue()

    after = _snapshot()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    # Same keys: the encrypted ID number reads the same; the lookup hash still finds the person.
    restored = Person.objects.get(pk=person.pk)
    assert restored.id_number == plain
    from laurel.core import crypto

    assert Person.objects.filter(id_hash=crypto.lookup_hash(plain)).get().pk == person.pk
    assert _files(media) == stored_files
    from django.core.files.storage import default_storage

    with default_storage.open(Nominee.objects.get(pk=with_photo.pk).photo) as photo:
        assert photo.read() == stored_files[Path(with_photo.photo)]
    assert Nominee.objects.count() == len(before["nominations_nominee"])


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path):
    call_command("load_reference", verbosity=0)
    counts = table_counts()
    bogus = tmp_path / "not-a-backup.tar"
    bogus.write_bytes(b"PK\x03\x04 certainly not a tar")
    with pytest.raises(CommandError, match="不是 Laurel 的备份文件"):
        call_command("restore", str(bogus), "--yes")
    assert table_counts() == counts


def test_restore_refuses_an_archive_without_its_database_and_changes_nothing(tmp_path, media):
    """Probe: a truncated archive (its manifest, no database file) emptied the live SQLite
    database and deleted the uploads before the row counts refused it."""
    import json

    from laurel.core.backup import FORMAT

    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "scan.pdf").write_bytes(b"%PDF-1.4 keep me")
    call_command("load_reference", verbosity=0)
    counts = table_counts()
    manifest = {
        "format": FORMAT,
        "created": "2026-01-01",
        "vendor": connection.vendor,
        "database": "../../etc/passwd" if connection.vendor == "sqlite" else "database.dump",
        "tables": counts,
    }
    for database in (manifest["database"], "database.sqlite3"):
        archive = tmp_path / "partial.tar"
        with tarfile.open(archive, "w") as tar:
            data = json.dumps({**manifest, "database": database}).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            folder = tarfile.TarInfo("media")
            folder.type = tarfile.DIRTYPE
            tar.addfile(folder)
        with pytest.raises(CommandError, match="缺少数据库文件"):
            call_command("restore", str(archive), "--yes")
        assert table_counts() == counts
        assert (media / "evidence" / "scan.pdf").read_bytes() == b"%PDF-1.4 keep me"


def test_restore_asks_before_replacing_everything(tmp_path, monkeypatch, media):
    call_command("load_reference", verbosity=0)
    archive = tmp_path / "b.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="已取消"):
        call_command("restore", str(archive))
