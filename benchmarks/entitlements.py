"""Treatment (H-7) at registry scale: everyone's entitlements computed from the example policy,
and a year's budget from them, each against a plain SQL aggregate over the same rows.

    cd benchmarks && ../.venv/bin/python entitlements.py            # 1,000,000 honours
    cd benchmarks && ../.venv/bin/python entitlements.py --quick    # 100,000

Uses the database of registry_search.py (postgres://postgres@127.0.0.1:5432/laurel_bench,
generated there if missing). Prints our time, the baseline's and the ratio."""

from __future__ import annotations

import argparse
import datetime
import os
import statistics as stats
import sys
import time

from registry_search import _database, _generate

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings")
os.environ.setdefault("LAUREL_DEBUG", "0")


def _timed(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return stats.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100,000 honours")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/laurel_bench")
    args = parser.parse_args()
    count = 100_000 if args.quick else 1_000_000
    _database(args.database_url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    _generate(count)

    from laurel.treatment import budget
    from laurel.treatment.models import Entitlement, Policy, Treatment
    from laurel.treatment.services import policies
    from laurel.treatment.services.entitlements import refresh_all

    with connection.cursor() as cursor:  # a clean start: no audit row per deleted row
        cursor.execute(
            "TRUNCATE treatment_entitlement, treatment_treatment, treatment_policy CASCADE"
        )

    text = (settings.BASE_DIR / "examples" / "treatment" / "policy-example.yaml").read_text()
    data = policies.check(text).data
    policy = Policy.objects.create(
        name=data["name"],
        effective_from=datetime.date.fromisoformat(data["effective_from"]),
        example=True,
        source=text,
    )
    for index, item in enumerate(data["treatments"]):
        Treatment.objects.create(policy=policy, key=item["key"], **policies._values(item, index))
    policy.refresh_from_db()

    start = time.perf_counter()
    created, _updated, _deleted = refresh_all(policy.effective_from)
    ours = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE treatment_entitlement")

    def aggregate():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT h.level, h.kind, count(*), count(DISTINCT h.person_id) "
                "FROM registry_honour h JOIN registry_person p ON p.id = h.person_id "
                "WHERE h.status = 'held' AND p.living GROUP BY h.level, h.kind"
            )
            return cursor.fetchall()

    base = _timed(aggregate, 3)
    honours = sum(row[2] for row in aggregate())
    print(
        f"entitlements for {honours:,} held honours: {created:,} rows in {ours:.1f} s "
        f"({ours / honours * 1e6:.1f} µs an honour); plain SQL aggregate of the same honours "
        f"{base * 1000:.0f} ms; ratio {ours / base:.0f}×",
        flush=True,
    )

    rows = Entitlement.objects.all()
    ours = _timed(lambda: budget.year_budget(rows, 2026))
    result = budget.year_budget(rows, 2026)

    def plain():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.payer, t.id, p.division_id, count(*), sum(e.amount) "
                "FROM treatment_entitlement e JOIN treatment_treatment t ON t.id = e.treatment_id "
                "JOIN registry_person p ON p.id = e.person_id "
                "WHERE e.starts_on < '2027-01-01' "
                "AND (e.ends_on IS NULL OR e.ends_on > '2026-01-01') "
                "GROUP BY t.payer, t.id, p.division_id"
            )
            return cursor.fetchall()

    base = _timed(plain)
    print(
        f"budget 2026 over {Entitlement.objects.count():,} entitlements: "
        f"{len(result.lines)} lines, {result.total:,} yuan in {ours * 1000:.0f} ms; "
        f"plain SQL GROUP BY {base * 1000:.0f} ms; "
        f"ratio {ours / base:.2f}×",
        flush=True,
    )


if __name__ == "__main__":
    main()
