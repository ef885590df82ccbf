"""Re-import 100,000 summary-sheet rows into the 1,000,000-honour registry (dedup by ID number)
against a hand-written staging-table SQL upsert of the same file, in the same run.

    cd benchmarks && PYTHONPATH=../src ../.venv/bin/python registry_reimport.py [--quick]

Uses the registry benchmark's database (run registry_search.py first). The sheet's people are
imported once (the first run adds them to the registry); then the same file is imported again —
every person already there — by Laurel (validate, hash, encrypt the phones, COPY, one upsert for
people and one for honours, one transaction) and by the baseline: parse, hash the ID numbers,
COPY into staging tables, the same two ``INSERT … ON CONFLICT`` statements, commit — no checks,
no encryption. Issue 10 asks for at most 1.5× the baseline."""

from __future__ import annotations

import argparse
import io
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings")
os.environ.setdefault("LAUREL_DEBUG", "0")  # as in production: no query log, no template debug

from registry_import import _sheet
from registry_search import _database
from targets import report

PEOPLE = (
    "CREATE TEMPORARY TABLE stage_person (id_hash varchar(64), name varchar(50), "
    "unit_name varchar(100), position varchar(100), retired boolean, classified boolean) "
    "ON COMMIT DROP"
)
HONOURS = (
    "CREATE TEMPORARY TABLE stage_honour (id_hash varchar(64), title varchar(200), "
    "awarding_body varchar(200), document_number varchar(100), awarded_on date, "
    "treatment varchar(200)) ON COMMIT DROP"
)


def _baseline(content: bytes) -> float:
    """The hand-written staging-table upsert of the same file."""
    import datetime

    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    from laurel.core import crypto

    start = time.perf_counter()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    header = [str(c) for c in rows[0]]
    at = {name: header.index(name) for name in header}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(PEOPLE)
        cursor.execute(HONOURS)
        raw = cursor.cursor
        seen = set()
        with raw.copy("COPY stage_person FROM STDIN") as people:
            for row in rows[1:]:
                key = crypto.lookup_hash(str(row[at["身份证号码"]]).upper())
                if key not in seen:
                    seen.add(key)
                    people.write_row(
                        (
                            key,
                            row[at["姓名"]],
                            row[at["工作单位"]],
                            row[at["职务"]],
                            row[at["是否离退休"]] == "是",
                            row[at["是否涉密"]] == "是",
                        )
                    )
        with raw.copy("COPY stage_honour FROM STDIN") as honours:
            for row in rows[1:]:
                key = crypto.lookup_hash(str(row[at["身份证号码"]]).upper())
                honours.write_row(
                    (
                        key,
                        row[at["荣誉称号"]],
                        row[at["授予机关"]],
                        row[at["表彰文号"]],
                        datetime.date.fromisoformat(str(row[at["授予时间"]])[:10]),
                        row[at["文件明确的待遇"]],
                    )
                )
        cursor.execute(
            "INSERT INTO registry_person (id_cipher, id_hash, id_masked, phone_cipher, "
            "phone_masked, name, gender, ethnicity, unit_name, position, division_id, retired, "
            "classified, living, updated_at) SELECT '', id_hash, '', '', '', name, '', '', "
            "unit_name, position, (SELECT min(id) FROM core_division), retired, classified, true, "
            "now() FROM stage_person "
            "ON CONFLICT (id_hash) DO UPDATE SET name = EXCLUDED.name, "
            "unit_name = EXCLUDED.unit_name, position = EXCLUDED.position, "
            "retired = EXCLUDED.retired, classified = EXCLUDED.classified, "
            "updated_at = EXCLUDED.updated_at"
        )
        cursor.execute(
            "INSERT INTO registry_honour (person_id, title, level, kind, honour_type, "
            "awarding_body, document_number, awarded_on, treatment, confirmation_document, "
            "military_merit, status) SELECT p.id, h.title, 'provincial', '', 'other', "
            "h.awarding_body, h.document_number, h.awarded_on, h.treatment, '', '', 'held' "
            "FROM stage_honour h JOIN registry_person p ON p.id_hash = h.id_hash "
            "ON CONFLICT (person_id, title, awarded_on) DO NOTHING"
        )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 rows")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/laurel_bench")
    args = parser.parse_args()
    count = 10_000 if args.quick else 100_000
    _database(args.database_url)

    import django

    django.setup()
    from laurel.registry.models import Honour
    from laurel.registry.services import bulk

    content = _sheet(count)
    first = bulk.import_database(None, content)
    assert not first.error_count, first.errors[:5]
    honours = Honour.objects.count()
    print(
        f"{count:,} rows into a registry of {honours:,} honours "
        f"({first.people_new:,} people new on this run)"
    )
    start = time.perf_counter()
    again = bulk.import_database(None, content)
    ours = time.perf_counter() - start
    baseline = _baseline(content)
    assert again.honours_added == 0 and Honour.objects.count() == honours
    print(
        f"re-import with dedup: ours {ours:.2f} s ({again.people_updated:,} people updated); "
        f"hand-written staging-table upsert {baseline:.2f} s; ratio {ours / baseline:.2f}"
    )
    report("re-import ≤ 1.5× a staging-table upsert", ours / baseline, 1.5, at_most=True)


if __name__ == "__main__":
    main()
