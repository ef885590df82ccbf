"""Statistics of the honoree database (reads; ``services.statistics.refresh`` rebuilds the
precomputed counts): honours by city, level, kind, year, sex, ethnicity and
status; each a list of (label, count), computed with GROUP BY inside the user's jurisdiction."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language

from laurel.core.jurisdiction import ROW_FILTERS, scope_key
from laurel.core.models import CodeItem, Division
from laurel.core.permissions import granting, within_area
from laurel.registry.models import Honour, Kind, Level, Person, StatisticRollup


def city_of(divisions: dict[int, Division], division_id: int) -> str:
    division = divisions.get(division_id)
    while (
        division is not None
        and division.level == Division.Level.COUNTY
        and (not division.directly_administered)
    ):
        division = divisions.get(division.parent_id)
    return division.name if division is not None else "—"


# The counts reach as far as the roles that may read statistics, not every role of the account:
# a county reviewing department on the leading group sees its county's counts here.
STATISTICS = "registry.view_statistics"


def statistics_scope(user) -> frozenset:
    """:func:`core.jurisdiction.scope_key` of each role that may read statistics: the same key,
    the same filter."""
    return frozenset(scope_key(one) for one in granting(user, STATISTICS))


HONOUR_DIMENSIONS = {"level": "level", "kind": "kind", "status": "status"}
PERSON_DIMENSIONS = {"sex": "gender", "ethnicity": "ethnicity"}


# The user's rollup query compiled once per scope (:func:`statistics_scope`: the same key,
# the same filter), and each rollup's content read and shaped once per process and language (a
# refresh writes new rows with a new time, so a rollup's id and time name its content — the time
# too, as a rolled-back refresh can hand its ids out again; only the newest content of a
# division's rollup is kept, so a refresh replaces rather than adds). Bounded: cleared when full.
# A scope that can see no rollup at all (no unit, or only its own unit's rows) compiles to
# nothing: ``_NOTHING``, answered without a query.
_COMPILED: dict[tuple, tuple[str, tuple] | None] = {}
_CONTENT: dict[tuple, dict] = {}
_BOUND = 512
_NOTHING = None


def jurisdiction_rollup(user) -> dict | None:
    """The precomputed page of the user's jurisdiction: of the rollups the user's roles that may
    read statistics see, the topmost division's (the province for the office, the city or
    county otherwise) — one indexed fetch of its id, division and time through the
    jurisdiction filter.
    ``{"pk": …, "division": …, "version": …}`` (the time as the database driver gives it), or
    None where nothing in the jurisdiction is registered yet or the user sees no division."""
    shared = ("registry.statisticrollup", "view") not in ROW_FILTERS
    key = statistics_scope(user) if shared else None
    if key is not None and key in _COMPILED:
        compiled = _COMPILED[key]
    else:
        query = (
            within_area(user, STATISTICS, StatisticRollup.objects.all())
            .order_by("division__path")  # a subtree's root sorts first: its path prefixes the rest
            .values_list("pk", "division_id", "refreshed_at")[:1]
            .query
        )
        try:
            compiled = query.sql_with_params()
        except EmptyResultSet:  # the filter matches nothing: no rollup to fetch
            compiled = _NOTHING
        if key is not None:
            if len(_COMPILED) >= _BOUND:
                _COMPILED.clear()
            _COMPILED[key] = compiled
    if compiled is _NOTHING:
        return None
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        row = cursor.fetchone()
    return {"pk": row[0], "division": row[1], "version": row[2]} if row else None


def _content(user, rollup: dict | None) -> dict | None:
    """The rollup's time and shaped tables, from the process's cache or read once."""
    rollup = rollup if rollup is not None else jurisdiction_rollup(user)
    if not rollup:
        return None
    key = (rollup["division"], get_language())
    content = _CONTENT.get(key)
    if content is None or content["rollup"] != (rollup["pk"], rollup["version"]):
        row = (
            StatisticRollup.objects.filter(pk=rollup["pk"])
            .values_list("tables", "refreshed_at")
            .first()
        )
        if row is None:  # replaced by a refresh since the rollup was chosen: choose again
            return _content(user, jurisdiction_rollup(user))
        content = {
            "tables": _shape(row[0]),
            "refreshed_at": row[1],
            "rollup": (rollup["pk"], rollup["version"]),
        }
        if len(_CONTENT) >= _BOUND:
            _CONTENT.clear()
        _CONTENT[key] = content
    return content


def refreshed_at(user, rollup: dict | None = None):
    """When the counts were last worked out: the user's rollup's time, or — where nothing in the
    jurisdiction is registered yet, so it has no rollup — the last refresh's (as before the
    rollups: empty tables are counted too, not "not yet counted")."""
    content = _content(user, rollup)
    if content:
        return content["refreshed_at"]
    return (
        StatisticRollup.objects.order_by("-refreshed_at")
        .values_list("refreshed_at", flat=True)
        .first()
    )


def tables(user, rollup: dict | None = None) -> dict[str, list[tuple[str, int]]]:
    """From the precomputed page of the user's jurisdiction (``StatisticRollup``)."""
    content = _content(user, rollup)
    shaped = content["tables"] if content else _shape({"counts": {}, "city": {}, "names": {}})
    return {dimension: list(rows) for dimension, rows in shaped.items()}


def _shape(data: dict) -> dict[str, list[tuple[str, int]]]:
    sums = data["counts"]
    labels = {
        "level": dict(Level.choices),
        "kind": dict(Kind.choices),
        "status": dict(Honour.Status.choices),
        "sex": dict(Person.Gender.choices),
        "ethnicity": data["names"].get("ethnicity", {}),
    }
    out: dict[str, list[tuple[str, int]]] = {
        "city": sorted(data["city"].items(), key=lambda i: -i[1])
    }
    for dimension in ("level", "kind", "year", "status", "sex", "ethnicity"):
        values = sums.get(dimension, {})
        names = labels.get(dimension, {})
        ordered = (
            sorted(values.items())
            if dimension in ("year", "level", "status", "sex")
            else sorted(values.items(), key=lambda i: -i[1])
        )
        out[dimension] = [(str(names.get(v, v or "—")), n) for v, n in ordered]
    return out


def live_tables(user) -> dict[str, list[tuple[str, int]]]:
    """The same tables computed live (GROUP BY over the whole table): the benchmark's
    baseline and a check that the precomputed counts agree."""
    honours = within_area(user, STATISTICS, Honour.objects.all())
    out: dict[str, list[tuple[str, int]]] = {}

    divisions = {d.pk: d for d in Division.objects.all()}
    by_city: dict[str, int] = {}
    for row in honours.values("person__division").annotate(n=Count("pk")):
        name = city_of(divisions, row["person__division"])
        by_city[name] = by_city.get(name, 0) + row["n"]
    out["city"] = sorted(by_city.items(), key=lambda item: -item[1])

    levels = dict(Level.choices)
    out["level"] = [
        (str(levels.get(r["level"], r["level"])), r["n"])
        for r in honours.values("level").annotate(n=Count("pk")).order_by("level")
    ]
    kinds = dict(Kind.choices)
    out["kind"] = [
        (str(kinds.get(r["kind"], r["kind"])), r["n"])
        for r in honours.values("kind").annotate(n=Count("pk")).order_by("-n")
    ]
    out["year"] = [
        (str(r["year"]), r["n"])
        for r in honours.annotate(year=ExtractYear("awarded_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    ]
    statuses = dict(Honour.Status.choices)
    out["status"] = [
        (str(statuses.get(r["status"], r["status"])), r["n"])
        for r in honours.values("status").annotate(n=Count("pk")).order_by("status")
    ]
    people = within_area(user, STATISTICS, Person.objects.all())
    genders = dict(Person.Gender.choices)
    out["sex"] = [
        (str(genders.get(r["gender"], "—")), r["n"])
        for r in people.values("gender").annotate(n=Count("pk")).order_by("gender")
    ]
    names = dict(CodeItem.objects.of("ethnicity").values_list("code", "name"))
    out["ethnicity"] = [
        (names.get(r["ethnicity"], r["ethnicity"] or "—"), r["n"])
        for r in people.values("ethnicity").annotate(n=Count("pk")).order_by("-n")
    ]
    return out


TITLES = {
    "city": "按地区（市州）统计荣誉",
    "level": "按级别统计荣誉",
    "kind": "按类别统计荣誉",
    "year": "按授予年份统计荣誉",
    "status": "按状态统计荣誉",
    "sex": "按性别统计人员",
    "ethnicity": "按民族统计人员",
}
