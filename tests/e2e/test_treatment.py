"""Issue 23 in a real browser: a hardship application (困难帮扶) from the school to the payment,
and an award revoked in the office's page ending its honoree's allowance (H-7). Screenshots go
to var/screenshots/e2e/. Departments without a demo account sign on the server, and say so."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.test_workflows import Shots, _login, _png, _server

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _a_school_honoree_without_an_application() -> tuple[int, str]:
    from laurel.registry.models import Person

    person = (
        Person.objects.filter(
            unit__name="长春市南关区实验小学",
            living=True,
            classified=False,
            hardship_applications__isnull=True,
            honours__honour_type="model_worker",
        )
        .order_by("pk")
        .first()
    )
    return person.pk, person.name


def _remaining_tiers_on_the_server(application_pk: int) -> str:
    """The departments of the city without a demo account (its trade-union federation) sign."""
    from laurel.treatment.models import HardshipApplication
    from laurel.treatment.services import hardship

    application = HardshipApplication.objects.get(pk=application_pk)
    while application.state == "submitted" and application.current_tier != "province":
        application = hardship.record_opinion(
            None, application, decision="agree", officer_name="市总工会经办人"
        )
    return application.current_tier


def _application_facts(application_pk: int) -> dict:
    from laurel.core.models import AuditLog
    from laurel.treatment.models import HardshipApplication

    application = HardshipApplication.objects.get(pk=application_pk)
    return {
        "state": application.state,
        "amount": application.amount,
        "paid": [(p.amount, p.reference) for p in application.payments.all()],
        "evidence_opened": AuditLog.objects.filter(
            action=AuditLog.Action.VIEW, object_id=str(application_pk)
        ).count(),
    }


def _review(page, live_server, shots, username, url, label):
    _login(page, live_server, username)
    page.goto(url)
    page.check("#id_decision_0")
    shots(f"{label}-before")
    page.click("button:has-text('提交（签字盖章）')")
    expect(page.locator(".messages")).to_contain_text("审核意见已提交")


def test_a_hardship_application_goes_from_the_school_to_payment(page, live_server, tmp_path):
    shots = Shots(page, "hardship")
    person_pk, name = _server(_a_school_honoree_without_an_application)

    _login(page, live_server, "school_unit")
    page.goto(f"{live_server.url}{reverse('registry:person', args=[person_pk])}")
    expect(page.get_by_test_id("person-hardship")).to_be_visible()
    page.click("text=申请困难帮扶")
    page.fill("#id_household_size", "3")
    page.fill("#id_income_per_head", "560")
    page.check("input[name=causes][value=illness]")
    page.check("input[name=causes][value=disaster]")
    page.fill("#id_circumstances", "本人确诊肺癌正在化疗，住房在暴雨中受损，配偶无业。")
    shots("application-form")
    page.click("button:has-text('保存')")
    expect(page.locator("h1")).to_contain_text(name)
    url = page.url
    application_pk = int(url.rstrip("/").rsplit("/", 1)[1])
    page.fill("input[name=title]", "诊断证明")
    page.set_input_files("input[name=file]", str(_png(tmp_path, "diagnosis.png", (250, 250, 245))))
    page.click("button:has-text('上传')")
    expect(page.locator("main")).to_contain_text("诊断证明")
    page.click("button:has-text('上报')")
    expect(page.locator(".messages")).to_contain_text("帮扶申请已上报")
    shots("submitted")

    _login(page, live_server, "edu_bureau")
    expect(page.locator("main")).to_contain_text("待办的困难帮扶申请")
    shots("bureau-inbox")
    _review(page, live_server, shots, "edu_bureau", url, "bureau")
    _review(page, live_server, shots, "ng_hr_review", url, "county-hr")
    _review(page, live_server, shots, "ng_union_review", url, "county-union")
    _review(page, live_server, shots, "cc_hr_review", url, "city-hr")
    assert _server(_remaining_tiers_on_the_server, application_pk) == "province"

    _login(page, live_server, "office_hr")
    page.goto(url)
    expect(page.get_by_test_id("approval")).to_be_visible()
    page.click("text=诊断证明")  # the evidence, opened and logged
    page.select_option("#id_band", label="二档（3000.00—5000.00元）")
    page.fill("#id_amount", "6000")
    page.fill("#id_approval_number", "吉人社帮〔2026〕9号")
    page.click("button:has-text('批准')")
    expect(page.locator(".messages")).to_contain_text("3000.00—5000.00元")  # outside the band
    page.select_option("#id_band", label="二档（3000.00—5000.00元）")
    page.fill("#id_amount", "4500")
    page.fill("#id_approval_number", "吉人社帮〔2026〕9号")
    shots("approval")
    page.click("button:has-text('批准')")
    expect(page.locator(".messages")).to_contain_text("已批准困难帮扶")
    page.goto(f"{live_server.url}{reverse('treatment:disbursement')}")
    expect(page.get_by_test_id("disbursement")).to_contain_text("省级财政")
    shots("disbursement")
    page.goto(url)
    page.fill("#id_amount", "4500")
    page.fill("#id_reference", "SZ-2026-0099")
    page.click("button:has-text('登记支付')")
    expect(page.locator(".messages")).to_contain_text("支付已登记")
    expect(page.locator("h1")).to_contain_text("已发放")
    expect(page.get_by_test_id("payments")).to_contain_text("SZ-2026-0099")
    shots("paid")
    page.goto(f"{live_server.url}{reverse('treatment:budget')}")
    expect(page.get_by_test_id("hardship-budget")).to_contain_text("省级财政")
    shots("budget")

    facts = _server(_application_facts, application_pk)
    assert facts["state"] == "paid"
    assert facts["paid"] == [(facts["amount"], "SZ-2026-0099")]
    assert str(facts["amount"]) == "4500.00"
    assert facts["evidence_opened"] >= 1
    assert page.console_errors == []


def _an_award_with_a_running_allowance() -> dict:
    from laurel.evaluation.models import Award
    from laurel.treatment.queries import running

    for award in Award.objects.filter(state=Award.State.VALID, registry_honour__isnull=False):
        person = award.registry_honour.person
        allowance = running(person.entitlements.filter(treatment__kind="monthly_allowance"))
        if allowance.filter(honour=award.registry_honour).exists():
            return {
                "award": award.pk,
                "campaign": award.nominee.campaign_id,
                "name": award.nominee.name,
                "person": person.pk,
            }
    raise AssertionError("the demo has no award carrying an allowance")


def test_an_honour_revoked_in_the_office_ends_the_allowance(page, live_server):
    shots = Shots(page, "revocation")
    facts = _server(_an_award_with_a_running_allowance)
    person_url = f"{live_server.url}{reverse('registry:person', args=[facts['person']])}"

    _login(page, live_server, "office")
    page.goto(person_url)
    current = page.get_by_test_id("entitlements")
    expect(current).to_contain_text("荣誉津贴")
    shots("before")
    page.goto(f"{live_server.url}{reverse('evaluation:awards')}?campaign={facts['campaign']}")
    row = page.locator(f"tr:has(input[name=award][value='{facts['award']}'])")
    row.locator("input[name=reason]").fill("经核查，获奖后受到党纪处分，依规撤销表彰。")
    row.locator("input[name=evidence]").fill("省纪委监委通报〔2026〕7号")
    row.locator("button:has-text('撤销')").click()
    expect(page.locator(".messages")).to_contain_text("已撤销表彰")
    shots("revoked")

    page.goto(person_url)
    ended = page.get_by_test_id("entitlements")
    expect(ended).to_contain_text("已终止")
    expect(ended).to_contain_text("撤销")
    shots("allowance-ended")
    assert page.console_errors == []
