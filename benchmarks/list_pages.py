"""The registry list page at 1,000,000 honours against a bare view that fetches one 50-row page
without counting and renders it with a minimal template, in the same process (RequestFactory,
no network): throughput and p99.

    cd benchmarks && PYTHONPATH=../src ../.venv/bin/python list_pages.py

Reads the registry benchmark's database (run registry_search.py first). A second baseline is
Django admin's changelist of the same people, same order, 50 a page (the admin is added for this
script only: settings_admin.py)."""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("LAUREL_DEBUG", "0")  # as in production: no query log, no template debug

from registry_search import _database
from targets import report


def _measure(function, seconds: float) -> tuple[float, float]:
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    times.sort()
    return len(times) / sum(times), times[int(len(times) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/laurel_bench")
    args = parser.parse_args()
    _database(args.database_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings_admin"  # Laurel + the admin baseline

    import django

    django.setup()
    from django.contrib import admin
    from django.http import HttpResponse
    from django.template import Context, Template
    from django.test import RequestFactory

    from laurel.accounts.models import User
    from laurel.registry.models import Person
    from laurel.registry.views.people import people

    class PersonAdmin(admin.ModelAdmin):
        list_display = ("name", "id_masked", "unit_name", "living")
        ordering = ("name", "pk")
        list_per_page = 50

    admin.site.register(Person, PersonAdmin)  # before the admin's URLs are first built
    from laurel.core.runtime import settle

    settle()  # as laurel.wsgi does in each app server process (after the admin's URLs)
    person_admin = admin.site.get_model_admin(Person)
    superuser = User(username="bench-admin", is_superuser=True, is_staff=True, is_active=True)

    def changelist(page: int):
        request = factory.get("/admin/registry/person/", {"p": page - 1} if page > 1 else {})
        request.user = superuser
        response = person_admin.changelist_view(request)
        response.render()
        return response

    office = User.objects.get(username="bench-office")
    factory = RequestFactory()
    template = Template(
        "<table>{% for p in rows %}<tr><td>{{ p.name }}</td><td>{{ p.id_masked }}</td>"
        "</tr>{% endfor %}</table>"
    )

    def bare(page: int):
        rows = list(
            Person.objects.order_by("name", "pk").values("name", "id_masked")[
                (page - 1) * 50 : page * 50
            ]
        )
        return HttpResponse(template.render(Context({"rows": rows})))

    def ours(page: int):
        request = factory.get("/registry/", {"page": page})
        request.user = office
        return people(request)

    for label, params in (("first page", 1), ("page 200", 200)):
        assert ours(params).status_code == 200 and bare(params).status_code == 200
        assert changelist(params).status_code == 200
        ours_rate, ours_p99 = _measure(lambda p=params: ours(p), args.seconds)
        bare_rate, bare_p99 = _measure(lambda p=params: bare(p), args.seconds)
        admin_rate, admin_p99 = _measure(lambda p=params: changelist(p), args.seconds)
        print(
            f"registry list, {label}: ours {ours_rate:.1f}/s p99 {ours_p99 * 1000:.1f} ms; "
            f"bare view {bare_rate:.1f}/s p99 {bare_p99 * 1000:.1f} ms; "
            f"throughput ratio {ours_rate / bare_rate:.2f}, p99 ratio {ours_p99 / bare_p99:.2f}; "
            f"admin changelist {admin_rate:.1f}/s p99 {admin_p99 * 1000:.1f} ms, "
            f"ours {ours_rate / admin_rate:.1f}× its throughput"
        )
        report("throughput ≥ 0.8× the bare view", ours_rate / bare_rate, 0.8, at_most=False)
        report("p99 ≤ 2× the bare view's", ours_p99 / bare_p99, 2, at_most=True)


if __name__ == "__main__":
    main()
