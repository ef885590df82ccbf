"""Full backup and restore: the database and the uploaded files (photos, evidence) in one
archive.

The archive (.tar) holds ``manifest.json`` (format, date, database vendor, row count of every
table), ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3``
(SQLite: the online backup API), and ``media/``. The field-encryption keys are *not* in it:
they live in the environment (docs/deployment.md), so a stolen backup reveals no ID number, and
a restore needs the same keys to read them. See docs/backup.md."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "laurel-backup-1"


class BackupError(Exception):
    pass


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def table_counts(alias: str = "default") -> dict[str, int]:
    """Rows in every table of the database (the manifest, and the check after a restore)."""
    conn = connections[alias]
    with conn.cursor() as cursor:
        counts = {}
        for table in sorted(conn.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def backup(target: Path, alias: str = "default") -> dict:
    """Write the archive to ``target``; returns its manifest."""
    db = settings.DATABASES[alias]
    vendor = connections[alias].vendor
    target = Path(target)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if vendor == "postgresql":
            dump = work / "database.dump"
            run = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    *_pg_args(db),
                    "--file",
                    str(dump),
                    str(db["NAME"]),
                ],
                env=_pg_env(db),
                capture_output=True,
                text=True,
            )
            if run.returncode:
                raise BackupError(_("pg_dump 失败：%s") % run.stderr.strip())
        elif vendor == "sqlite":
            dump = work / "database.sqlite3"
            connections[alias].ensure_connection()
            with sqlite3.connect(dump) as copy:
                connections[alias].connection.backup(copy)
            copy.close()
        else:
            raise BackupError(_("不支持的数据库：%s") % vendor)
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "vendor": vendor,
            "database": dump.name,
            "tables": table_counts(alias),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w") as archive:
            archive.add(work / "manifest.json", "manifest.json")
            archive.add(dump, dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, "media")
        partial.replace(target)  # a crash while writing leaves no archive that looks complete
    return manifest


def read_manifest(source: Path) -> dict:
    try:
        with tarfile.open(source) as archive:
            member = archive.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else {}
    except (tarfile.TarError, KeyError, json.JSONDecodeError, OSError):
        raise BackupError(_("“%s”不是 Laurel 的备份文件。") % source) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(_("“%s”不是 Laurel 的备份文件。") % source)
    return manifest


def restore(source: Path, alias: str = "default") -> dict:
    """Replace the database and the uploaded files with the archive's; returns the manifest after
    checking that every table has the row count the backup recorded."""
    source = Path(source)
    manifest = read_manifest(source)
    vendor = connections[alias].vendor
    if manifest["vendor"] != vendor:
        raise BackupError(
            _("备份来自 %(backup)s 数据库，当前是 %(current)s，不能直接恢复。")
            % {"backup": manifest["vendor"], "current": vendor}
        )
    db = settings.DATABASES[alias]
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        with tarfile.open(source) as archive:
            archive.extractall(work, filter="data")
        dump = (work / str(manifest["database"])).resolve()
        if not dump.is_relative_to(work.resolve()) or not dump.is_file():
            # checked before anything is replaced: a truncated or crafted archive changes nothing
            raise BackupError(_("“%s”缺少数据库文件，不是完整的备份。") % source)
        if vendor != "postgresql":
            _check_sqlite_dump(dump, manifest, source)
        if vendor == "postgresql":
            connections[alias].close()
            run = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    *_pg_args(db),
                    "--dbname",
                    str(db["NAME"]),
                    str(dump),
                ],
                env=_pg_env(db),
                capture_output=True,
                text=True,
            )
            if run.returncode:
                raise BackupError(_("pg_restore 失败：%s") % run.stderr.strip())
        else:
            connections[alias].ensure_connection()
            with sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True) as stored:
                stored.backup(connections[alias].connection)
            stored.close()
        _check_counts(table_counts(alias), manifest)
        media = Path(settings.MEDIA_ROOT)  # the files last: only once the database is right
        if (work / "media").is_dir():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(work / "media", media)
    return manifest


def _check_counts(found: dict, manifest: dict) -> None:
    if found != manifest["tables"]:
        differ = sorted(
            t
            for t in set(found) | set(manifest["tables"])
            if found.get(t) != manifest["tables"].get(t)
        )
        raise BackupError(_("恢复后的行数与备份记录不一致：%s") % "、".join(differ))


def _check_sqlite_dump(dump: Path, manifest: dict, source) -> None:
    """The archive's SQLite file holds every table the manifest lists, with its row count,
    before it replaces the live database (read only: a bad file is never created or changed)."""
    try:
        with sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True) as stored:
            names = {
                row[0]
                for row in stored.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            found = {
                table: stored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                for table in manifest["tables"]
                if table in names
            }
        stored.close()
    except sqlite3.DatabaseError:
        raise BackupError(_("“%s”中的数据库文件无法读取，不是完整的备份。") % source) from None
    if found != manifest["tables"]:
        raise BackupError(_("“%s”中的数据库与备份记录的行数不一致，未作任何更改。") % source)
