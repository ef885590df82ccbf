"""Issue 18 §7 and its review: a closed campaign is read-only everywhere — it closes only once
its notices have run and its objections are concluded, and nothing opens or changes after."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from laurel.campaigns.services import campaigns as campaign_service
from laurel.campaigns.services.definitions import DefinitionError, load_definition
from laurel.public.models import Objection, PublicNotice
from laurel.public.services import notices as service
from tests.nominations.conftest import complete_individual

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()


def test_c16_a_campaign_closes_only_after_its_notices_and_objections_then_stays_read_only(
    client, published, cc_staff, nanguan_unit, office, jilin_text
):
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    today = timezone.localdate()
    notice = service.create_notice(
        office,
        published,
        level="unit",
        nominees=[nominee],
        starts_on=today,
        contact="王老师 0431-88888888",
    )
    objection = service.file_objection(notice, nominee.pk, "材料与事实不符")
    with pytest.raises(ValidationError) as error:
        campaign_service.close_campaign(office, published, "评选结束")
    text = "".join(error.value.messages)
    assert "公示至" in text and "1件异议未办结" in text
    # The notice has run (its period moved into the past), the objection is still open.
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - datetime.timedelta(days=20), ends_on=today - datetime.timedelta(days=10)
    )
    with pytest.raises(ValidationError) as error:
        campaign_service.close_campaign(office, published, "评选结束")
    assert "1件异议未办结" in "".join(error.value.messages)
    service.resolve_objection(office, objection, founded=False, note="经核查不属实")
    campaign_service.close_campaign(office, published, "评选结束")
    published.refresh_from_db()

    # Nothing changes any more: dates, quotas, categories, bodies, the definition file.
    phase = published.phases.get(key="material_deadline")
    with pytest.raises(ValidationError) as error:
        campaign_service.set_phase_dates(office, phase, phase.starts_on, phase.ends_on, "改期")
    assert "记录只读" in error.value.messages[0]
    quota = published.bodies.first().quotas.first()
    with pytest.raises(ValidationError):
        campaign_service.set_quotas(office, published, {quota.pk: quota.places + 1}, "追加")
    with pytest.raises(ValidationError):
        campaign_service.update_category(office, published.categories.first(), name="改名")
    with pytest.raises(ValidationError):
        campaign_service.add_body(
            office, published, key="late", name="迟到的推荐单位", unit=office.unit
        )
    with pytest.raises(DefinitionError) as error:
        load_definition(office, jilin_text, source="reload.yaml")
    assert "记录只读" in str(error.value)
    # No new notice, and none on the public site; no objection either.
    with pytest.raises(ValidationError):
        service.create_notice(
            office,
            published,
            level="unit",
            nominees=[nominee],
            starts_on=today,
            contact="王老师 0431-88888888",
        )
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=today, ends_on=today)
    assert notice.title not in client.get("/public/notices/").content.decode()
    with pytest.raises(ValidationError):
        service.file_objection(PublicNotice.objects.get(pk=notice.pk), nominee.pk, "再提一次")
    assert Objection.objects.count() == 1
