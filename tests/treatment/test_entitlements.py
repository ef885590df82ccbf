"""H-7: treatment policy as data, and each filed person's entitlements computed from it and
kept true to the registry (revocation, death, retirement, a new version of the policy)."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from laurel.core.definitions import DefinitionError
from laurel.core.models import AuditLog
from laurel.registry.services.honours import revoke_honour
from laurel.treatment.models import Entitlement, Policy
from laurel.treatment.services.entitlements import refresh_all, refresh_person
from laurel.treatment.services.policies import load_policy
from tests.registry.conftest import D, model_worker

pytestmark = pytest.mark.django_db


def current(person):
    return {
        (e.treatment.key, e.honour.title, e.amount)
        for e in Entitlement.objects.filter(person=person, ends_on__isnull=True)
    }


NATIONAL = model_worker(
    title="全国劳动模范",
    kind="national_model_worker",
    awarding_body="国务院",
    document_number="国发〔2010〕1号",
    awarded_on=D(2010, 4, 27),
)


def test_h7_example_policy_loads_marked_as_example(policy):
    assert policy.example is True
    assert policy.effective_from == D(2026, 1, 1)
    assert [t.key for t in policy.treatments.all()] == [
        "one-off-award",
        "honorary-allowance",
        "pension-supplement",
        "health-check",
        "holiday-visit",
        "veteran-allowance",
    ]
    allowance = policy.treatments.get(key="honorary-allowance")
    assert allowance.amounts == {"national": "300", "provincial": "200"}
    assert allowance.payer == "province"


def test_h7_policy_problems_name_line_and_key(example_text):
    broken = example_text.replace("payer: city", "payer: town").replace(
        "min_age: 50", "min_age: -1"
    )
    with pytest.raises(DefinitionError) as caught:
        load_policy(None, broken, "broken.yaml")
    messages = [str(p) for p in caught.value.problems]
    line = broken.splitlines().index("    payer: town") + 1
    assert f"第{line}行（treatments[2].payer）：应为以下之一：province、city、county。" in messages
    assert any("treatments[3].min_age" in m and "不能小于0" in m for m in messages)
    assert not Policy.objects.exists()


def test_h7_dry_run_shows_the_diff_and_saves_nothing(policy, example_text):
    changed = example_text.replace(
        "amounts: {national: 300, provincial: 200}", "amounts: {national: 350, provincial: 200}"
    )
    result = load_policy(None, changed, "v2.yaml", dry_run=True)
    assert result.dry_run
    assert result.changes == [
        "“荣誉津贴”的标准（元）：national: 300，provincial: 200 → national: 350，provincial: 200"
    ]
    assert policy.treatments.get(key="honorary-allowance").amounts["national"] == "300"


def test_h7_highest_level_once_and_one_off_per_new_honour(filed, area, drive, policy):
    recent = model_worker(
        title="吉林省五一劳动奖章", awarded_on=D(2026, 4, 28), document_number="吉工〔2026〕5号"
    )
    person = filed([NATIONAL, model_worker(), recent], birth_date=D(1960, 3, 1))
    assert current(person) == {
        # 就高不重复: one allowance, for the national honour
        ("honorary-allowance", "全国劳动模范", Decimal("300.00")),
        # one-off only for honours awarded since the policy says (2026-01-01)
        ("one-off-award", "吉林省五一劳动奖章", Decimal("5000.00")),
        ("health-check", "全国劳动模范", Decimal("1200.00")),
        ("holiday-visit", "全国劳动模范", Decimal("1000.00")),
    }
    starts = dict(
        Entitlement.objects.filter(person=person).values_list("treatment__key", "starts_on")
    )
    # A new honour entitles from the day it was awarded, never before the policy's date.
    assert starts["one-off-award"] == D(2026, 4, 28)
    assert starts["honorary-allowance"] == D(2026, 1, 1)


def test_h7_retirement_starts_the_pension_supplement_from_that_date(
    committed, filed, area, drive, policy
):
    person = filed([model_worker()], birth_date=D(1990, 1, 1))
    assert ("pension-supplement", "吉林省劳动模范", Decimal("300.00")) not in current(person)
    # Under 50: the health check is there already, from the 50th birthday on.
    assert Entitlement.objects.get(person=person, treatment__key="health-check").starts_on == (
        D(2040, 1, 1)
    )
    person.retired = True
    with committed():
        person.save()
    row = Entitlement.objects.get(person=person, treatment__key="pension-supplement")
    assert (row.amount, row.starts_on, row.ends_on) == (
        Decimal("300.00"),
        timezone.localdate(),
        None,
    )
    assert row.treatment.payer == "city"
    log = AuditLog.objects.get(
        content_type=ContentType.objects.get_for_model(Entitlement),
        object_id=str(row.pk),
        action=AuditLog.Action.CREATE,
    )
    assert log.reason == "登记信息变化，重新核定待遇"


def test_h7_revocation_ends_the_allowance_on_the_day(committed, filed, area, drive, policy):
    person = filed([model_worker()])
    honour = person.honours.get()
    with committed():
        revoke_honour(area.office, honour, "撤销荣誉称号")
    allowance = Entitlement.objects.get(person=person, treatment__key="honorary-allowance")
    assert allowance.ends_on == timezone.localdate()
    assert allowance.end_reason == "荣誉已撤销"
    assert allowance.starts_on == D(2026, 1, 1)
    assert current(person) == set()
    # Recomputing everyone from the policy's date keeps the history: the honour was held
    # until the day it was revoked (Honour.revoked_on).
    assert refresh_all(D(2026, 1, 1)) == (0, 0, 0)
    allowance.refresh_from_db()
    assert (allowance.ends_on, allowance.end_reason) == (timezone.localdate(), "荣誉已撤销")


def test_h7_death_ends_every_entitlement(committed, filed, area, drive, policy):
    person = filed([NATIONAL], birth_date=D(1950, 1, 1))
    assert len(current(person)) == 3
    person.living = False
    with committed():
        person.save()
    ended = Entitlement.objects.filter(person=person)
    assert {e.end_reason for e in ended} == {"已去世"}
    assert all(e.ends_on == timezone.localdate() for e in ended)


def test_h7_a_new_version_supersedes_from_its_effective_date(
    committed, filed, area, drive, policy, example_text
):
    person = filed([model_worker()], birth_date=D(1990, 1, 1))
    later = example_text.replace("effective_from: 2026-01-01", "effective_from: 2026-07-01")
    later = later.replace(
        "amounts: {national: 300, provincial: 200}", "amounts: {national: 400, provincial: 260}"
    )
    with committed():
        result = load_policy(None, later, "v2.yaml")
    assert result.changes[:2] == [
        "新的政策版本，2026-07-01起施行。",
        "与此前施行的“吉林省表彰人员待遇政策（示例）（2026-01-01起施行）”相比：",
    ]
    assert (
        "“荣誉津贴”的标准（元）：national: 300，provincial: 200 → national: 400，provincial: 260"
        in result.changes
    )
    rows = Entitlement.objects.filter(person=person, treatment__key="honorary-allowance")
    assert [
        (r.amount, r.starts_on, r.ends_on, r.end_reason) for r in rows.order_by("starts_on")
    ] == [
        (Decimal("200.00"), D(2026, 1, 1), D(2026, 7, 1), "新的待遇政策施行"),
        (Decimal("260.00"), D(2026, 7, 1), None, ""),
    ]
    # Loading the same file again changes nothing.
    with committed():
        assert load_policy(None, later, "v2.yaml").changes == ["没有变化。"]
    assert rows.count() == 2


def test_h7_replaying_a_later_start_writes_nothing(committed, filed, area, policy):
    person = filed([model_worker()], birth_date=D(1976, 5, 10))  # health check from 2026-05-10
    rows = list(Entitlement.objects.filter(person=person).values_list("pk", "starts_on", "ends_on"))
    assert any(start == D(2026, 5, 10) for _pk, start, _end in rows)
    result = refresh_person(area.office, person)
    assert (result.create, result.update, result.delete) == ([], [], [])
    assert (
        list(Entitlement.objects.filter(person=person).values_list("pk", "starts_on", "ends_on"))
        == rows
    )


def test_h7_a_status_never_seen_changing_keeps_no_date(committed, filed, policy):
    person = filed([model_worker()], retired=True, birth_date=D(1955, 1, 1))
    pension = Entitlement.objects.get(person=person, treatment__key="pension-supplement")
    assert pension.starts_on == D(2026, 1, 1)  # retired when registered: since ever
    with committed():
        person.name = "张志强"
        person.save()  # e.g. a second registration filed for the same person
    person.refresh_from_db()
    assert person.retired_on is None
    assert (
        Entitlement.objects.get(person=person, treatment__key="pension-supplement").pk == pension.pk
    )


def test_h7_replaying_is_idempotent(filed, area, drive, policy):
    person = filed([NATIONAL, model_worker()], birth_date=D(1960, 3, 1))
    before = list(
        Entitlement.objects.filter(person=person).values_list("pk", "starts_on", "ends_on")
    )
    result = refresh_person(area.office, person, D(2026, 1, 1))
    assert (result.create, result.update, result.delete) == ([], [], [])
    after = list(
        Entitlement.objects.filter(person=person).values_list("pk", "starts_on", "ends_on")
    )
    assert after == before


def test_h7_a_treatment_in_use_cannot_be_removed_from_its_version(
    committed, filed, area, drive, policy, example_text
):
    filed([model_worker()])
    start = example_text.index("  - key: holiday-visit")
    end = example_text.index("  - key: veteran-allowance")
    with pytest.raises(DefinitionError) as caught:
        load_policy(None, example_text[:start] + example_text[end:], "v1b.yaml")
    assert "待遇“节日走访慰问”已有待遇资格，不能从本版本中删除" in str(caught.value)
    assert policy.treatments.filter(key="holiday-visit").exists()


def test_h7_reloading_the_policy_keeps_a_death_and_its_date(committed, filed, policy, example_text):
    person = filed([model_worker()], birth_date=D(1990, 1, 1))
    person.living = False
    with committed():
        person.save()
    assert person.died_on == timezone.localdate()
    ended = list(Entitlement.objects.filter(person=person).values_list("starts_on", "ends_on"))
    with committed():
        load_policy(None, example_text, "again.yaml")  # replays everyone from 2026-01-01
    assert list(Entitlement.objects.filter(person=person).values_list("starts_on", "ends_on")) == (
        ended
    )
    assert (D(2026, 1, 1), timezone.localdate()) in ended


def test_h7_a_higher_honour_takes_over_the_allowance_from_its_date(committed, filed, area, policy):
    person = filed([model_worker()], birth_date=D(1990, 1, 1))
    later = {**NATIONAL, "awarded_on": D(2026, 5, 1), "document_number": "国发〔2026〕2号"}
    from laurel.registry.models import Honour

    with committed():
        Honour.objects.create(
            person=person,
            title=later["title"],
            level="national",
            kind=later["kind"],
            honour_type="model_worker",
            awarding_body=later["awarding_body"],
            document_number=later["document_number"],
            awarded_on=later["awarded_on"],
        )
    rows = Entitlement.objects.filter(person=person, treatment__key="honorary-allowance")
    assert [
        (r.honour.title, r.amount, r.starts_on, r.ends_on) for r in rows.order_by("starts_on")
    ] == [
        ("吉林省劳动模范", Decimal("200.00"), D(2026, 1, 1), D(2026, 5, 1)),
        ("全国劳动模范", Decimal("300.00"), D(2026, 5, 1), None),
    ]
    # …and the national one-off for an honour awarded since the policy, once.
    assert Entitlement.objects.filter(person=person, treatment__key="one-off-award").count() == 1


def test_h7_the_health_check_starts_on_the_50th_birthday(filed, policy):
    person = filed([model_worker()], birth_date=D(1976, 5, 10))
    row = Entitlement.objects.get(person=person, treatment__key="health-check")
    assert (row.starts_on, row.amount) == (D(2026, 5, 10), Decimal("800.00"))


def test_h7_a_one_off_is_not_paid_again_under_a_new_version(committed, filed, policy, example_text):
    recent = model_worker(
        title="吉林省五一劳动奖章", awarded_on=D(2026, 4, 28), document_number="吉工〔2026〕5号"
    )
    person = filed([recent], birth_date=D(1990, 1, 1))
    later = example_text.replace("effective_from: 2026-01-01", "effective_from: 2026-07-01")
    with committed():
        load_policy(None, later, "v2.yaml")
    one_offs = Entitlement.objects.filter(person=person, treatment__kind="one_off")
    assert [(r.starts_on, r.ends_on, r.amount) for r in one_offs] == [
        (D(2026, 4, 28), None, Decimal("5000.00"))
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format: 1\nname: &a [*a]\n", "第2行：定义文件中不能使用 YAML 别名（*）"),
        ("format: 1\nname: " + "[" * 5000 + "]" * 5000 + "\n", "定义文件嵌套层次过深。"),
        ("format: 1\nname: a\x00b\n", "控制字符（NUL）"),
        (
            "format: 1\nname: x\neffective_from: 2026-01-01\ntreatments:\n"
            "  - {key: a, name: A, kind: one_off, period: once,\n"
            "     amounts: {national: .nan}, payer: province}\n",
            "treatments[0].amounts.national）：应为有效的金额。",
        ),
    ],
)
def test_h7_malformed_files_are_refused_in_chinese(text, message):
    with pytest.raises(DefinitionError) as caught:
        load_policy(None, text, "bad.yaml")
    assert message in str(caught.value)
    assert not Policy.objects.exists()


@given(
    living=st.booleans(),
    retired=st.booleans(),
    died_on=st.one_of(st.none(), st.dates(D(2020, 1, 1), D(2030, 1, 1))),
    retired_since=st.one_of(st.none(), st.dates(D(2020, 1, 1), D(2030, 1, 1))),
    birth=st.one_of(st.none(), st.dates(D(1940, 1, 1), D(2000, 1, 1))),
    status=st.sampled_from(["any", "retired", "working"]),
    min_age=st.one_of(st.none(), st.integers(40, 70)),
    on=st.dates(D(2020, 1, 1), D(2030, 1, 1)),
)
def test_h7_the_fast_condition_check_agrees_with_the_reasons(
    living, retired, died_on, retired_since, birth, status, min_age, on
):
    from laurel.registry.models import Person
    from laurel.treatment import domain
    from laurel.treatment.models import Treatment

    person = Person(
        living=living, retired=retired, died_on=died_on, retired_on=retired_since, birth_date=birth
    )
    treatment = Treatment(status=status, min_age=min_age)
    assert domain.person_entitled(treatment, person, on) == (
        domain.person_refusal(treatment, person, on) is None
    )


def test_h7_many_people_changed_at_once_are_replayed_by_the_task_queue(
    filed, area, drive, policy, committed
):
    """A transaction that changes more people than receivers.INLINE_PEOPLE (a decision filing a
    category's awards) leaves them to one task; each person once, however many rows changed."""
    from django.db import transaction

    from laurel.core.models import AuditLog
    from laurel.registry.models import Person
    from laurel.treatment import receivers
    from laurel.treatment.models import Entitlement

    people = [filed([model_worker()], name=f"张{n}强") for n in ("一", "二", "三")]
    Entitlement.objects.filter(person__in=people).delete()
    batches = AuditLog.objects.filter(content_type__model="policy").count()
    receivers.INLINE_PEOPLE, inline = 2, receivers.INLINE_PEOPLE
    try:
        with committed(), transaction.atomic():
            for person in Person.objects.filter(pk__in=[p.pk for p in people]):
                person.position = "高级教师"
                person.save()
                person.save()
    finally:
        receivers.INLINE_PEOPLE = inline
    # The immediate task backend of the tests ran the queued replay for all three, as one batch
    # (refresh_all writes one audit row on the policy; a replay per person would write none).
    assert Entitlement.objects.filter(person__in=people).values("person").distinct().count() == 3
    assert AuditLog.objects.filter(content_type__model="policy").count() == batches + 1
