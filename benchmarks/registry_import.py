"""Import N registry rows from a summary sheet (.xlsx) into the database, validated and
committed, against python-calamine alone parsing the same file; then re-import the same file
(every person and honour already there: the dedup path).

    PYTHONPATH=src .venv/bin/python benchmarks/registry_import.py            # 100,000 rows
    PYTHONPATH=src .venv/bin/python benchmarks/registry_import.py --quick    # 10,000 rows

Uses its own PostgreSQL database (default postgres://postgres@127.0.0.1:5432/laurel_bench_import,
created if missing, emptied first). Peak memory (tracemalloc) is printed for both.

A third baseline is django-import-export in bulk mode (``use_bulk``, batches of 1,000, no diff)
on the first --iie-rows rows of the same sheet (default 10,000: it takes minutes per 10,000),
against ours on that same smaller file. Its resource is given the easier half of the job: people
only (name, gender, ethnicity, ID number hashed and encrypted the same way, unit, position,
retired), deduplicated by ID number; no honours, no checks."""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings")
os.environ.setdefault("LAUREL_DEBUG", "0")  # as in production: no query log, no template debug

from registry_search import _database
from targets import report


def _sheet(count: int) -> bytes:
    import xlsxwriter
    from faker import Faker

    from laurel.core.models import Division
    from laurel.core.synthetic import resident_id
    from laurel.registry.interfaces.spreadsheets import COLUMNS

    fake = Faker("zh_CN")
    fake.seed_instance(3)
    rng = random.Random(3)
    surnames = [fake.last_name() for _ in range(300)]
    given = [fake.first_name() for _ in range(2000)]
    counties = [d for d in Division.objects.filter(level="county", is_standard=True)]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("汇总表")
    sheet.write_row(0, 0, COLUMNS)
    seen = set()
    people = []
    for index in range(1, count + 1):
        if index % 7 == 0 and people:  # a second honour of someone already in the sheet
            name, number, county = people[rng.randrange(len(people))]
            year = 2005 + index % 15
        else:
            county = counties[index % len(counties)]
            while True:
                # born 1950–1969: every honour below (1990–2019) comes after the birth (H-1)
                birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(7300))
                number = resident_id(rng, county.code, birth, "1" if index % 2 else "2")
                if number not in seen:
                    seen.add(number)
                    break
            name = rng.choice(surnames) + rng.choice(given)
            people.append((name, number, county))
            year = 1990 + index % 28
        sheet.write_row(
            index,
            0,
            [
                index,
                name,
                "",
                "汉族",
                number,
                "某单位",
                "职工",
                county.full_name,
                "否",
                "13900000000",
                "吉林省劳动模范" if year < 2005 else f"吉林省先进工作者{year}",
                "劳动模范（先进工作者）",
                "省部级：省委、省政府表彰并明确享受省级待遇",
                "中共吉林省委、吉林省人民政府",
                f"{year}-04-28",
                f"吉发〔{year}〕10号",
                "享受省级劳动模范待遇",
                "",
                "",
                "否",
                "",
            ],
        )
    book.close()
    return buffer.getvalue()


def _import_export_baseline(content: bytes, rows: int) -> None:
    """django-import-export, bulk mode, on the first ``rows`` rows; ours on the same rows."""
    import xlsxwriter
    from django.db import connection
    from import_export import fields, resources
    from python_calamine import CalamineWorkbook
    from tablib import Dataset

    from laurel.core import crypto
    from laurel.registry.models import Person
    from laurel.registry.services import bulk

    table = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    header, body = table[0], table[1 : rows + 1]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("汇总表")
    for index, row in enumerate([header, *body]):
        sheet.write_row(index, 0, row)
    book.close()
    small = buffer.getvalue()

    class PersonResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        gender = fields.Field(attribute="gender", column_name="性别")
        unit_name = fields.Field(attribute="unit_name", column_name="工作单位")
        position = fields.Field(attribute="position", column_name="职务")
        id_hash = fields.Field(attribute="id_hash", column_name="id_hash")

        class Meta:
            model = Person
            fields = ("name", "gender", "unit_name", "position", "id_hash")
            import_id_fields = ("id_hash",)
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            use_transactions = True

        def before_import(self, dataset, **kwargs):
            column = dataset.get_col(dataset.headers.index("身份证号码"))
            dataset.append_col([crypto.lookup_hash(str(v)) for v in column], header="id_hash")

        def before_import_row(self, row, **kwargs):
            row["性别"] = {"男": "1", "女": "2"}.get(row["性别"], "")

        def before_save_instance(self, instance, row, **kwargs):
            instance.set_id_number(str(row["身份证号码"]))
            instance.division_id = divisions[row["户籍所在地"]]  # a dict, not a query per row

    from laurel.core.models import Division

    divisions = {name: d.pk for d, name in Division.objects.full_names().items()}

    def empty():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE registry_honour, registry_person RESTART IDENTITY CASCADE")

    empty()
    start = time.perf_counter()
    parsed = CalamineWorkbook.from_filelike(io.BytesIO(small)).get_sheet_by_index(0).to_python()
    # Bulk mode looks people up before each batch is written, so a person twice in one file
    # would be inserted twice: it is given the file with one row per ID number (the last).
    by_id = {str(r[4]): tuple(r) for r in parsed[1:]}
    dataset = Dataset(*by_id.values(), headers=parsed[0])
    result = PersonResource().import_data(dataset, raise_errors=True)
    theirs = time.perf_counter() - start
    assert not result.has_errors()
    people = Person.objects.count()
    empty()
    start = time.perf_counter()
    ours = bulk.import_database(None, small)
    mine = time.perf_counter() - start
    print(
        f"{rows:,} rows: django-import-export (bulk, people only) {theirs:.2f} s for {people:,} "
        f"people; ours {mine:.2f} s for {ours.people_new:,} people and "
        f"{ours.honours_added:,} honours; ours is {theirs / mine:.1f}× faster"
    )
    report("import ≥ 10× faster than django-import-export", theirs / mine, 10, at_most=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--iie-rows", type=int, default=10_000)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/laurel_bench_import"
    )
    args = parser.parse_args()
    count = args.count or (10_000 if args.quick else 100_000)
    _database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from laurel.registry.services import bulk

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE registry_honour, registry_person RESTART IDENTITY CASCADE")
    content = _sheet(count)
    print(f"{count:,} rows, {len(content) / 2**20:.1f} MB")

    start = time.perf_counter()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    parse = time.perf_counter() - start
    del rows
    start = time.perf_counter()
    result = bulk.import_database(None, content)
    ours = time.perf_counter() - start
    assert not result.error_count, result.errors[:5]
    start = time.perf_counter()
    again = bulk.import_database(None, content)
    second = time.perf_counter() - start
    print(f"parse alone (python-calamine): {parse:.2f} s")
    print(
        f"import (validate, encrypt, upsert, commit): {ours:.2f} s — {result.people_new:,} "
        f"people, {result.honours_added:,} honours; ratio {ours / parse:.1f}"
    )
    report("import ≤ 2× the parse (time)", ours / parse, 2, at_most=True)
    print(
        f"re-import of the same file (all known: dedup): {second:.2f} s — "
        f"{again.people_updated:,} updated, {again.honours_added:,} honours added"
    )
    # Memory in separate passes: tracemalloc slows Python code far more than the Rust parser.
    tracemalloc.start()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    parse_peak = tracemalloc.get_traced_memory()[1]
    del rows
    tracemalloc.reset_peak()
    bulk.import_database(None, content)
    ours_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"peak memory: parse {parse_peak / 2**20:.0f} MB, import {ours_peak / 2**20:.0f} MB, "
        f"ratio {ours_peak / parse_peak:.1f}"
    )
    report("import peak memory ≤ 2× the parse's", ours_peak / parse_peak, 2, at_most=True)
    _import_export_baseline(content, min(args.iie_rows, count))


if __name__ == "__main__":
    main()
