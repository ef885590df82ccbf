"""The nominee list at national scale: 10,000 synthetic nominees in one campaign, the list page
as the provincial office (sees all) and as a city's nominating body, against a bare view that
fetches the same 50 rows without counting and renders a minimal table, in the same process.

    cd benchmarks && PYTHONPATH=../src ../.venv/bin/python nominee_list.py [--count 10000]

Uses its own PostgreSQL database (default postgres://postgres@127.0.0.1:5432/laurel_bench_nominees,
created if missing): migrated, the demo loaded (without the finished round), then the Jilin
campaign filled to --count nominees by the generator below (bulk inserts with the demo's field
generators, spread over every body and category; no audit rows, as for any generated data)."""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings")
os.environ.setdefault("LAUREL_DEBUG", "0")  # as in production: no query log, no template debug

from list_pages import _measure
from registry_search import _database
from targets import report


def generate(campaign, count: int) -> int:
    """Fill ``campaign`` up to ``count`` nominees; returns how many were made."""
    from django.db.models import Max
    from faker import Faker

    from laurel.campaigns.models import Quota
    from laurel.core.models import Division
    from laurel.demo.evaluation import _collective, _counties, _individual
    from laurel.nominations.models import Nominee

    have = Nominee.objects.filter(campaign=campaign).count()
    if have >= count:
        return 0
    fake = Faker("zh_CN")
    fake.seed_instance(10)
    rng = random.Random(10)
    province = Division.objects.get(level="province")
    slots = list(
        Quota.objects.filter(body__campaign=campaign, places__gt=0).select_related(
            "body__unit", "body__division", "category"
        )
    )
    counties = {quota.body_id: _counties(quota.body.division) for quota in slots}
    ranks = {
        (row["body"], row["category"]): row["top"]
        for row in Nominee.objects.filter(campaign=campaign)
        .values("body", "category")
        .annotate(top=Max("rank"))
    }
    states = [Nominee.State.DRAFT, Nominee.State.SUBMITTED, Nominee.State.RECEIVED]
    names: set[str] = set()
    batch = []
    for index in range(have, count):
        quota = slots[index % len(slots)]
        body, category = quota.body, quota.category
        area = (counties[body.pk] or [province])[index % max(len(counties[body.pk]), 1)]
        fields = (
            _collective(body, area, fake, index, names)
            if category.kind == "collective"
            else _individual(body, area, fake, rng, index)
        )
        key = (body.pk, category.pk)
        ranks[key] = (ranks.get(key) or 0) + 1
        batch.append(
            Nominee(
                campaign=campaign,
                category=category,
                body=body,
                nominating_unit=body.unit,
                division=body.unit.division,
                kind=category.kind,
                rank=ranks[key],
                state=states[index % 3],
                **fields,
            )
        )
        if len(batch) == 2000:
            Nominee.objects.bulk_create(batch)
            batch = []
    Nominee.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would leave
        cursor.execute("ANALYZE nominations_nominee")
    return count - have


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/laurel_bench_nominees"
    )
    args = parser.parse_args()
    _database(args.database_url)

    import django

    django.setup()
    from laurel.core.runtime import settle

    settle()  # as laurel.wsgi does in each app server process
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.template import Context, Template
    from django.test import RequestFactory

    from laurel.accounts.models import User
    from laurel.campaigns.models import Campaign
    from laurel.nominations.models import Nominee
    from laurel.nominations.views.nominees import nominee_list

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="office_hr").exists():
        start = time.perf_counter()
        call_command("load_reference", verbosity=0)
        call_command("load_demo", "--without-finished-round", verbosity=0)
        print(f"demo loaded in {time.perf_counter() - start:.0f} s")
    campaign = Campaign.objects.filter(status=Campaign.Status.PUBLISHED).order_by("pk").first()
    start = time.perf_counter()
    made = generate(campaign, args.count)
    if made:  # as autovacuum would by the time the office opens the list: fresh statistics
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    total = Nominee.objects.filter(campaign=campaign).count()
    print(
        f"{total:,} nominees in {campaign.name} ({made:,} generated in "
        f"{time.perf_counter() - start:.1f} s)"
    )

    factory = RequestFactory()
    template = Template(
        "<table>{% for n in rows %}<tr><td>{{ n.rank }}</td><td>{{ n.name }}</td>"
        "<td>{{ n.category__name }}</td><td>{{ n.body__name }}</td><td>{{ n.state }}</td>"
        "</tr>{% endfor %}</table>"
    )

    def bare(page: int):
        rows = list(
            Nominee.objects.filter(campaign=campaign)
            .order_by("body__sort_order", "category__sort_order", "rank", "pk")
            .values("pk", "rank", "name", "category__name", "body__name", "state")[
                (page - 1) * 50 : page * 50
            ]
        )
        return HttpResponse(template.render(Context({"rows": rows})))

    for username, label, page in (
        ("office_hr", "provincial office, first page", 1),
        ("office_hr", "provincial office, page 100", 100),
        ("cc_body", "长春 body, first page", 1),
    ):
        user = User.objects.get(username=username)

        def ours(user=user, page=page):
            request = factory.get("/nominations/", {"campaign": campaign.pk, "page": page})
            request.user = user
            return nominee_list(request)

        assert ours().status_code == 200 and bare(page).status_code == 200
        ours_rate, ours_p99 = _measure(ours, args.seconds)
        bare_rate, bare_p99 = _measure(lambda p=page: bare(p), args.seconds)
        print(
            f"nominee list, {label}: ours {ours_rate:.1f}/s p99 {ours_p99 * 1000:.1f} ms; "
            f"bare view {bare_rate:.1f}/s p99 {bare_p99 * 1000:.1f} ms; "
            f"throughput ratio {ours_rate / bare_rate:.2f}, p99 ratio {ours_p99 / bare_p99:.2f}"
        )
        report("throughput ≥ 0.8× the bare view", ours_rate / bare_rate, 0.8, at_most=False)
        report("p99 ≤ 2× the bare view's", ours_p99 / bare_p99, 2, at_most=True)


if __name__ == "__main__":
    main()
