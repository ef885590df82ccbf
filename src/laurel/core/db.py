"""Database helpers shared by the apps."""

from __future__ import annotations

import functools

from django.db import connection

CODE_POINT_COLLATIONS = {"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"}


@functools.lru_cache(maxsize=4)
def _code_point_order(vendor: str, name: str) -> bool:
    if vendor == "sqlite":
        return True  # BINARY collation
    if vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        row = cursor.fetchone()
    return bool(row) and row[0] in CODE_POINT_COLLATIONS


def startswith(queryset, field: str, prefix: str):
    """Rows whose ``field`` starts with ``prefix``. Where the database orders text by code point
    (SQLite, PostgreSQL under C/C.UTF-8) this is the range ``prefix <= field < prefix + U+10FFFF``,
    which the b-tree index both searches and orders by; PostgreSQL does not turn LIKE into that
    range itself, and with LIKE its estimate goes wrong (700,000 people: 1 ms instead of 0.5 s).
    Elsewhere it is LIKE 'prefix%'."""
    if prefix and _code_point_order(connection.vendor, connection.settings_dict.get("NAME", "")):
        return queryset.filter(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return queryset.filter(**{f"{field}__startswith": prefix})
