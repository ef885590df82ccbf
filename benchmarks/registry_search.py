"""Registry search and statistics on N synthetic honours, against raw SQL on the same data.

    PYTHONPATH=src .venv/bin/python benchmarks/registry_search.py            # 1,000,000 honours
    PYTHONPATH=src .venv/bin/python benchmarks/registry_search.py --quick    # 100,000

Uses its own PostgreSQL database (created if missing; default
postgres://postgres@127.0.0.1:5432/laurel_bench, or --database-url). The synthetic people have
Faker zh_CN names, valid ID numbers (core.synthetic), encrypted and hashed as in production;
they are written with COPY. Each line prints our time, the raw-SQL baseline and the ratio."""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics as stats
import sys
import time

from targets import report

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings")
os.environ.setdefault("LAUREL_DEBUG", "0")  # as in production: no query log, no template debug


def _database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url


def _generate(count: int) -> None:
    from django.db import connection
    from faker import Faker

    from laurel.core import crypto
    from laurel.core.models import Division
    from laurel.core.synthetic import resident_id
    from laurel.core.validators import mask_resident_id
    from laurel.registry.models import Honour

    have = Honour.objects.count()
    if have >= count:
        print(f"data: {have:,} honours already there")
        return
    with connection.cursor() as cursor:  # not .delete(): that writes an audit row per row
        cursor.execute("TRUNCATE registry_honour, registry_person RESTART IDENTITY CASCADE")
    fake = Faker("zh_CN")
    fake.seed_instance(1)
    rng = random.Random(1)
    surnames = [fake.last_name() for _ in range(400)]
    given = [fake.first_name() for _ in range(3000)]
    counties = list(Division.objects.filter(level="county", is_standard=True))
    people = int(count / 1.4)
    start = time.perf_counter()
    seen: set[str] = set()
    person_rows = io.StringIO()
    now = "2022-02-28 00:00:00+08"
    for pk in range(1, people + 1):
        county = counties[pk % len(counties)]
        gender = "1" if pk % 2 else "2"
        while True:
            number = resident_id(rng, county.code, None, gender)
            if number not in seen:
                seen.add(number)
                break
        name = rng.choice(surnames) + rng.choice(given)
        birth = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        person_rows.write(
            "\t".join(
                [
                    str(pk),
                    crypto.encrypt(number),
                    crypto.lookup_hash(number),
                    mask_resident_id(number),
                    "",
                    "",
                    name,
                    gender,
                    "01" if pk % 9 else "10",
                    birth,
                    "",
                    "",
                    str(county.pk),
                    "f",
                    "t",
                    "f",
                    now,
                    now,
                ]
            )
            + "\n"
        )
    honour_rows = io.StringIO()
    kinds = [
        "provincial_committee_government",
        "national_model_worker",
        "national_honoree",
        "ministry_from_1995",
        "veteran",
    ]
    for pk in range(1, count + 1):
        # Every person has one honour; some have a second one, of another title.
        second = pk > people
        person = pk - people if second else pk
        kind = kinds[pk % 7 % len(kinds)]
        year = 2019 + pk % 4 if kind == "national_honoree" else 1990 + pk % 28
        honour_rows.write(
            "\t".join(
                [
                    str(pk),
                    str(person),
                    "吉林省先进工作者" if second else "吉林省劳动模范",
                    "national" if kind.startswith("national") else "provincial",
                    kind,
                    "model_worker",
                    "中共吉林省委、吉林省人民政府",
                    f"吉发〔{year}〕10号",
                    f"{year}-04-28",
                    "享受省级劳动模范待遇",
                    "",
                    "",
                    "held" if pk % 50 else "revoked",
                ]
            )
            + "\n"
        )
    print(
        f"generated {people:,} people and {count:,} honours in {time.perf_counter() - start:.0f} s"
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            "COPY registry_person (id, id_cipher, id_hash, id_masked, phone_cipher, phone_masked, "
            "name, gender, ethnicity, birth_date, unit_name, position, division_id, retired, "
            "living, classified, filed_at, updated_at) FROM STDIN"
        ) as copy:
            copy.write(person_rows.getvalue())
        with raw.copy(
            "COPY registry_honour (id, person_id, title, level, kind, honour_type, awarding_body, "
            "document_number, awarded_on, treatment, confirmation_document, military_merit, "
            "status) FROM STDIN"
        ) as copy:
            copy.write(honour_rows.getvalue())
        cursor.execute("SELECT setval('registry_person_id_seq', %s)", [people])
        cursor.execute("SELECT setval('registry_honour_id_seq', %s)", [count])
    # as autovacuum does for a table after a load (PostgreSQL 13+ vacuums after inserts too):
    # statistics, and the visibility map that lets an index-only scan skip the table
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_person")
        cursor.execute("VACUUM ANALYZE registry_honour")
    print(f"loaded in {time.perf_counter() - start:.0f} s")


def _timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return stats.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100,000 honours")
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/laurel_bench")
    args = parser.parse_args()
    count = args.count or (100_000 if args.quick else 1_000_000)
    _database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    _generate(count)

    from laurel.accounts.models import User
    from laurel.core import crypto
    from laurel.registry import statistics
    from laurel.registry.models import Person
    from laurel.registry.services.statistics import refresh as refresh_statistics
    from laurel.registry.views.people import people

    office, _ = User.objects.get_or_create(username="bench-office", defaults={"full_name": "基准"})
    office.is_superuser = True
    office.save()
    sample = Person.objects.order_by("pk")[count // 3]
    number = crypto.decrypt(sample.id_cipher)
    factory = RequestFactory()

    def view(params):
        request = factory.get("/registry/", params)
        request.user = office
        return people(request)

    def raw(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    start = time.perf_counter()
    cells = refresh_statistics()
    print(
        f"statistics refresh (the background task): {cells:,} cells in "
        f"{time.perf_counter() - start:.1f} s"
    )
    print(f"\n{count:,} honours, {Person.objects.count():,} people (PostgreSQL)")
    cases = [
        (
            "search by ID number (page)",
            lambda: view({"id_number": number}),
            lambda: raw(
                "SELECT id, name, id_masked FROM registry_person WHERE id_hash = %s",
                [crypto.lookup_hash(number)],
            ),
        ),
        (
            "search by name prefix (first page of 50)",
            lambda: view({"name": sample.name[:1]}),
            lambda: raw(
                "SELECT id, name, id_masked FROM registry_person WHERE name >= %s AND name < %s "
                "ORDER BY name, id LIMIT 50",
                [sample.name[:1], sample.name[:1] + "\U0010ffff"],
            ),
        ),
        (
            "statistics page data (precomputed) vs a one-row fetch",
            lambda: statistics.tables(office),
            lambda: raw("SELECT id, name FROM registry_person WHERE id = %s", [sample.pk]),
        ),
        (
            "statistics computed live (7 GROUP BYs) vs the same raw SQL",
            lambda: statistics.live_tables(office),
            lambda: (
                [
                    raw(f"SELECT {column}, count(*) FROM registry_honour GROUP BY 1", [])
                    for column in ("level", "kind", "status", "extract(year from awarded_on)")
                ]
                + [
                    raw(
                        "SELECT p.division_id, count(*) FROM registry_honour h "
                        "JOIN registry_person p ON p.id = h.person_id GROUP BY 1",
                        [],
                    )
                ]
                + [
                    raw(f"SELECT {c}, count(*) FROM registry_person GROUP BY 1", [])
                    for c in ("gender", "ethnicity")
                ]
            ),
        ),
    ]
    for label, ours, baseline in cases:
        ours()
        baseline()
        a = _timed(ours, 5)
        b = _timed(baseline, 5)
        print(f"{label}: ours {a * 1000:.1f} ms, raw SQL {b * 1000:.1f} ms, ratio {a / b:.1f}")
        if label.startswith("statistics page"):
            report("statistics ≥ 0.5× a one-row fetch's throughput", b / a, 0.5, at_most=False)


if __name__ == "__main__":
    main()
