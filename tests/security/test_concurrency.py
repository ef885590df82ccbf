"""Issue 11 §3: state changes under parallel requests (PostgreSQL row locks): no double
transition, no lost opinion. The quota under parallel submissions is held by
tests/nominations/test_quota.py::test_c4_concurrent_submissions_never_exceed_the_quota."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from laurel.core.models import AuditLog
from laurel.nominations.models import Nominee, ReviewOpinion
from laurel.nominations.services import nominees as nominee_service
from laurel.nominations.services import review
from laurel.registry.models import Registration, RegistrationOpinion
from laurel.registry.services import registrations as registry_service
from tests.nominations.conftest import complete_individual
from tests.registry.conftest import F, register

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks: PostgreSQL (production)"
    ),
]


def _at_once(*calls):
    """Run the calls in parallel threads, released together; returns each outcome."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[index] = "ok"
        except ValidationError as error:
            outcomes[index] = "refused: " + "；".join(error.messages)
        except Exception as error:
            outcomes[index] = f"error: {error!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _transitions(obj) -> int:
    return AuditLog.objects.filter(
        object_id=str(obj.pk), action=AuditLog.Action.TRANSITION, object_repr=str(obj)
    ).count()


def test_one_nominee_submitted_twice_at_once_moves_once(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit, name="双击提交")
    outcomes = _at_once(
        lambda: nominee_service.submit_nominee(cc_staff, nominee),
        lambda: nominee_service.submit_nominee(cc_staff, nominee),
    )
    assert sorted(o.split(":")[0] for o in outcomes) == ["ok", "refused"], outcomes
    assert Nominee.objects.get(pk=nominee.pk).state == Nominee.State.SUBMITTED
    assert _transitions(nominee) == 1


def test_both_departments_opinions_at_once_are_kept_and_the_nominee_moves_up_once(
    published, cc_staff, nanguan_unit, reviewers
):
    nominee = complete_individual(cc_staff, published, nanguan_unit, name="并行审核")
    nominee = nominee_service.submit_nominee(cc_staff, nominee)
    assert nominee.review_tier == "county"
    outcomes = _at_once(
        lambda: review.record_review(reviewers[("county", "hr")], nominee, decision="agree"),
        lambda: review.record_review(reviewers[("county", "housing")], nominee, decision="agree"),
    )
    assert outcomes == ["ok", "ok"], outcomes
    assert set(
        ReviewOpinion.objects.filter(nominee=nominee, tier="county").values_list(
            "function", flat=True
        )
    ) == {"hr_social_security", "housing"}
    assert Nominee.objects.get(pk=nominee.pk).review_tier == "city"  # moved up, once


def test_one_department_recording_twice_at_once_keeps_one_opinion(
    published, cc_staff, nanguan_unit, reviewers
):
    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit, name="重复意见")
    )
    hr = reviewers[("county", "hr")]
    outcomes = _at_once(
        lambda: review.record_review(hr, nominee, decision="agree"),
        lambda: review.record_review(hr, nominee, decision="agree"),
    )
    assert sorted(o.split(":")[0] for o in outcomes) == ["ok", "refused"], outcomes
    assert ReviewOpinion.objects.filter(nominee=nominee, tier="county").count() == 1


def test_registration_opinions_of_two_departments_at_once_are_both_kept(area, drive):
    registration = registry_service.submit_registration(area.school_user, register(area, drive))
    registration = registry_service.record_opinion(area.bureau_user, registration, decision="agree")
    outcomes = _at_once(
        lambda: registry_service.record_opinion(
            area.reviewer("county", F.HR_SOCIAL_SECURITY), registration, decision="agree"
        ),
        lambda: registry_service.record_opinion(
            area.reviewer("county", F.TRADE_UNION), registration, decision="agree"
        ),
    )
    assert outcomes == ["ok", "ok"], outcomes
    stored = Registration.objects.get(pk=registration.pk)
    assert RegistrationOpinion.objects.filter(registration=stored, tier="county").count() == 2
    assert stored.current_tier == "city"
