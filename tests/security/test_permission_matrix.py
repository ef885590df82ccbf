"""Issue 17: every named rule × every demo account, compared with the permission matrix written
in docs/security.md.

Each rule is asked about one representative object of the demo data, in the state in which the
action is possible for somebody (a draft to edit, the nominee waiting at 南关区, the clearance
request waiting for 南关区公安, an open panel, …), or without an object where the rule is about
the user alone. A rule added to any ``rules.py`` fails this test until it is given an object
here and a row in the document; a change of who may do what fails it until the document says
so too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from laurel.accounts.models import User
from laurel.campaigns.models import Campaign, NominatingBody
from laurel.core.permissions import RULES
from laurel.demo.accounts import DEMO_ACCOUNTS
from laurel.evaluation.models import Award, Panel, PreliminaryList
from laurel.evaluation.services.panels import create_panel
from laurel.nominations.models import ClearanceRequest, Nominee
from laurel.orgs.models import Unit
from laurel.public.models import Objection, PublicNotice
from laurel.registry.models import Person, Registration
from laurel.treatment.models import Entitlement, HardshipApplication, StatusReturn

pytestmark = pytest.mark.django_db

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "security.md"
BEGIN, END = "<!-- permission-matrix:begin -->", "<!-- permission-matrix:end -->"
ACCOUNTS = [a.username for a in DEMO_ACCOUNTS]


class Demo:
    """The representative objects, looked up in the loaded demo data."""

    def __init__(self):
        self.jilin = Campaign.objects.get(slug="jilin-affordable-housing-2022")
        self.draft_campaign = Campaign.objects.get(status=Campaign.Status.DRAFT)
        self.finished = Campaign.objects.get(slug="jilin-affordable-housing-2019")
        self.changchun = NominatingBody.objects.get(campaign=self.jilin, key="changchun")
        self.draft = Nominee.objects.filter(
            campaign=self.jilin,
            state=Nominee.State.DRAFT,
            nominating_unit__name="长春市住房和城乡建设局",
        ).first()
        self.submitted = Nominee.objects.filter(
            campaign=self.jilin, state=Nominee.State.SUBMITTED, review_tier="city"
        ).first()
        self.at_county = Nominee.objects.get(
            campaign=self.jilin, state=Nominee.State.SUBMITTED, review_tier="county"
        )
        self.pending = ClearanceRequest.objects.filter(
            state=ClearanceRequest.State.PENDING, function="public_security"
        ).first()
        self.notice = PublicNotice.objects.filter(
            campaign=self.jilin, state=PublicNotice.State.PUBLISHED
        ).latest("ends_on")
        self.ended_notice = (
            PublicNotice.objects.filter(
                campaign=self.jilin, level=PublicNotice.Level.UNIT, state="published"
            )
            .exclude(pk=self.notice.pk)
            .earliest("ends_on")
        )
        self.objection = Objection.objects.get(state=Objection.State.OPEN)
        self.closed_panel = Panel.objects.filter(campaign=self.finished).first()
        office = User.objects.get(username="office")
        experts = User.objects.filter(username__in=["expert1", "expert2", "expert3"])
        self.open_panel = create_panel(
            office,
            self.jilin,
            self.jilin.categories.get(kind="individual"),
            name="矩阵测试评审组",
            quorum=2,
            pass_ratio="0.667",
            experts=experts,
        )
        self.award = Award.objects.filter(state=Award.State.VALID).first()
        self.revoked_award = Award.objects.filter(state=Award.State.REVOKED).first()
        self.unit = Unit.objects.get(name="长春市南关区南岭街道办事处")
        self.person = Person.objects.filter(division__code="220102", classified=False).first()
        self.entitlement = Entitlement.objects.filter(person=self.person).first()
        self.registration_draft = Registration.objects.get(state=Registration.State.DRAFT)
        H = HardshipApplication
        self.hardship_draft = H.objects.get(state=H.State.DRAFT)
        self.hardship_at_supervisor = H.objects.get(
            state=H.State.SUBMITTED, current_tier="supervisor"
        )
        self.hardship_at_province = H.objects.get(state=H.State.SUBMITTED, current_tier="province")
        self.hardship_paid = H.objects.get(state=H.State.PAID)
        self.return_pending = StatusReturn.objects.filter(
            state="pending", unit__name="长春市南关区实验小学", person__classified=False
        ).first()
        self.return_at_supervisor = StatusReturn.objects.get(current_tier="supervisor")
        self.return_at_province = StatusReturn.objects.get(current_tier="province")
        self.at_supervisor = Registration.objects.get(
            state=Registration.State.SUBMITTED, current_tier="supervisor"
        )


# rule → (what it is asked about, as the document says it; the object, or None for the user)
OBJECTS = {
    "core.view_reference": ("—", lambda d: None),
    "core.manage_calendar": ("—", lambda d: None),
    "core.view_audit_log": ("—", lambda d: None),
    "orgs.list_units": ("—", lambda d: None),
    "orgs.view_unit": ("南关区的一个街道办事处", lambda d: d.unit),
    "orgs.add_unit": ("—", lambda d: None),
    "orgs.change_unit": ("南关区的一个街道办事处", lambda d: d.unit),
    "orgs.place_unit_anywhere": ("—", lambda d: None),
    "orgs.set_unit_functions": ("—", lambda d: None),
    "accounts.manage_users": ("—", lambda d: None),
    "accounts.change_own_password": ("—", lambda d: None),
    "campaigns.list_campaigns": ("—", lambda d: None),
    "campaigns.view_campaign": ("吉林2022活动（已发布）", lambda d: d.jilin),
    "campaigns.view_body": ("吉林2022活动的长春市推荐单位", lambda d: d.changchun),
    "campaigns.view_quota": ("长春市的一项名额", lambda d: d.changchun.quotas.first()),
    "campaigns.manage_campaigns": ("—", lambda d: None),
    "campaigns.work_to_quota": ("—", lambda d: None),
    "campaigns.change_campaign": ("吉林2022活动（已发布）", lambda d: d.jilin),
    "campaigns.publish_campaign": ("草稿状态的示例活动", lambda d: d.draft_campaign),
    "campaigns.extend_deadline": ("吉林2022活动（已发布）", lambda d: d.jilin),
    "campaigns.close_campaign": ("吉林2022活动（已发布）", lambda d: d.jilin),
    "nominations.list_nominees": ("—", lambda d: None),
    "nominations.view_nominee": ("长春市住建局的草稿", lambda d: d.draft),
    "nominations.read_full_record": ("长春市住建局的草稿", lambda d: d.draft),
    "nominations.add_nominee": ("—", lambda d: None),
    "nominations.edit_nominee": ("长春市住建局的草稿", lambda d: d.draft),
    "nominations.submit_nominee": ("长春市住建局的草稿", lambda d: d.draft),
    "nominations.withdraw_nominee": ("市级审核中的推荐对象", lambda d: d.submitted),
    "nominations.delete_nominee": ("长春市住建局的草稿", lambda d: d.draft),
    "nominations.rank_nominees": ("长春市名单中的推荐对象", lambda d: d.submitted),
    "nominations.view_prior_honours": ("—", lambda d: None),
    "nominations.view_personal_data": ("长春市住建局的草稿", lambda d: d.draft),
    "nominations.view_overview": ("—", lambda d: None),
    "nominations.open_clearance": ("长春市住建局的草稿", lambda d: d.draft),
    "nominations.view_clearance": ("待长春市公安局回复的征求意见", lambda d: d.pending),
    "nominations.give_clearance_opinion": ("待长春市公安局回复的征求意见", lambda d: d.pending),
    "nominations.decide_clearance": (
        "不同意、待办公室决定的征求意见",
        lambda d: ClearanceRequest(state=ClearanceRequest.State.DISAGREED),
    ),
    "nominations.assign_clearance_department": ("—", lambda d: None),
    "nominations.record_paper_clearance": (
        "待组织部门回复的征求意见（该部门无账号）",
        lambda d: ClearanceRequest.objects.filter(
            state=ClearanceRequest.State.PENDING, function="organization"
        ).first(),
    ),
    "nominations.view_opinion_scan": (
        "纪委监委的纸质意见",
        lambda d: ClearanceRequest.objects.filter(on_paper=True).first(),
    ),
    "nominations.review_nominee": ("南关区县级审核中的推荐对象", lambda d: d.at_county),
    "nominations.record_paper_review": ("南关区县级审核中的推荐对象", lambda d: d.at_county),
    "nominations.send_back_nominee": ("南关区县级审核中的推荐对象", lambda d: d.at_county),
    "nominations.export_all_bodies": ("—", lambda d: None),
    "public.list_notices": ("—", lambda d: None),
    "public.view_notice": ("长春市住建局正在进行的单位公示", lambda d: d.notice),
    "public.organise_notice": ("—", lambda d: None),
    "public.publish_provincial_notice": ("—", lambda d: None),
    "public.close_notice": ("期满的一项单位公示", lambda d: d.ended_notice),
    "public.cancel_notice": ("长春市住建局正在进行的单位公示", lambda d: d.notice),
    "public.view_objection": ("单位公示中的一件待核查异议", lambda d: d.objection),
    "public.handle_objection": ("单位公示中的一件待核查异议", lambda d: d.objection),
    "public.withdraw_received_nominee": ("—", lambda d: None),
    "public.view_objector": ("单位公示中的一件待核查异议", lambda d: d.objection),
    "evaluation.view_evaluation": ("—", lambda d: None),
    "evaluation.recheck_nominee": (
        "省级已接收、尚未复核的推荐对象",
        lambda d: Nominee(state=Nominee.State.RECEIVED),
    ),
    "evaluation.form_panel": ("—", lambda d: None),
    "evaluation.view_panel": ("—", lambda d: None),
    "evaluation.close_panel": ("进行中的评审组", lambda d: d.open_panel),
    "evaluation.choose_candidates": ("已结束的评审组", lambda d: d.closed_panel),
    "evaluation.sit_on_panel": ("专家1–3组成的评审组", lambda d: d.open_panel),
    "evaluation.vote": ("专家1–3组成、进行中的评审组", lambda d: d.open_panel),
    "evaluation.declare_conflict": ("专家1–3组成、进行中的评审组", lambda d: d.open_panel),
    "evaluation.assess": ("—", lambda d: None),
    "evaluation.view_list": ("—", lambda d: None),
    "evaluation.draft_list": (
        "拟定中的初选名单",
        lambda d: PreliminaryList(state=PreliminaryList.State.DRAFT),
    ),
    "evaluation.decide_list": (
        "已报领导小组的初选名单",
        lambda d: PreliminaryList(state=PreliminaryList.State.SUBMITTED),
    ),
    "evaluation.view_awards": ("—", lambda d: None),
    "evaluation.approve": ("吉林2022活动（尚未审定）", lambda d: d.jilin),
    "evaluation.award": ("已审定的2019一轮", lambda d: d.finished),
    "evaluation.revoke_award": ("一项有效的表彰", lambda d: d.award),
    "evaluation.record_recovery": ("一项已撤销的表彰", lambda d: d.revoked_award),
    "documents.export_body": ("吉林2022活动的长春市推荐单位", lambda d: d.changchun),
    "documents.read_clearance_forms": ("市级审核中的推荐对象", lambda d: d.submitted),
    "documents.download_decision": ("已审定的2019一轮", lambda d: d.finished),
    "documents.download_certificates": ("已审定的2019一轮", lambda d: d.finished),
    "documents.download_plaque_list": ("已审定的2019一轮", lambda d: d.finished),
    "documents.view_export": ("—", lambda d: None),
    "registry.search_people": ("—", lambda d: None),
    "registry.view_person": ("南关区的一名表彰人员", lambda d: d.person),
    "treatment.manage_policy": ("—", lambda d: None),
    "treatment.view_policy": ("—", lambda d: None),
    "treatment.refresh_entitlements": ("—", lambda d: None),
    "treatment.view_entitlements": ("—", lambda d: None),
    "treatment.view_entitlement": ("南关区一名表彰人员的待遇资格", lambda d: d.entitlement),
    "treatment.apply_hardship": ("—", lambda d: None),
    "treatment.list_hardship": ("—", lambda d: None),
    "treatment.view_hardship": ("待教育局初审的帮扶申请", lambda d: d.hardship_at_supervisor),
    "treatment.change_hardship": ("实验小学的帮扶申请草稿", lambda d: d.hardship_draft),
    "treatment.submit_hardship": ("实验小学的帮扶申请草稿", lambda d: d.hardship_draft),
    "treatment.review_hardship": ("待教育局初审的帮扶申请", lambda d: d.hardship_at_supervisor),
    "treatment.record_hardship_paper_opinion": (
        "待教育局初审的帮扶申请",
        lambda d: d.hardship_at_supervisor,
    ),
    "treatment.approve_hardship": ("报到省级待审批的帮扶申请", lambda d: d.hardship_at_province),
    "treatment.manage_hardship_bands": ("—", lambda d: None),
    "treatment.record_payment": ("已发放完毕的帮扶申请", lambda d: d.hardship_paid),
    "treatment.export_disbursement": ("—", lambda d: None),
    "treatment.manage_status_reviews": ("—", lambda d: None),
    "treatment.list_status_returns": ("—", lambda d: None),
    "treatment.view_status_return": ("实验小学待报送的人员状态", lambda d: d.return_pending),
    "treatment.report_status": ("实验小学待报送的人员状态", lambda d: d.return_pending),
    "treatment.record_paper_return": ("实验小学待报送的人员状态", lambda d: d.return_pending),
    "treatment.check_status_return": (
        "待教育局核实的人员状态",
        lambda d: d.return_at_supervisor,
    ),
    "treatment.file_status_return": ("待省级归档的人员状态", lambda d: d.return_at_province),
    "registry.view_personal_data": ("南关区的一名表彰人员", lambda d: d.person),
    "registry.view_evidence": ("待教育局初审的登记表", lambda d: d.at_supervisor),
    "registry.view_classified": ("—", lambda d: None),
    "registry.export_in_full": ("—", lambda d: None),
    "registry.submit_contact": ("进行中的统计登记", lambda d: d.registration_draft.drive),
    "registry.manage_drives": ("—", lambda d: None),
    "registry.import_database": ("—", lambda d: None),
    "registry.view_statistics": ("—", lambda d: None),
    "registry.add_registration": ("—", lambda d: None),
    "registry.view_registration": ("待教育局初审的登记表", lambda d: d.at_supervisor),
    "registry.change_registration": ("实验小学的登记表草稿", lambda d: d.registration_draft),
    "registry.submit_registration": ("实验小学的登记表草稿", lambda d: d.registration_draft),
    "registry.review_registration": ("待教育局初审的登记表", lambda d: d.at_supervisor),
    "registry.record_paper_opinion": ("待教育局初审的登记表", lambda d: d.at_supervisor),
    "api.manage_own_token": ("—", lambda d: None),
}


def render_matrix(rows: dict[str, tuple[str, dict[str, bool]]]) -> str:
    header = "| 规则 | 对象 | " + " | ".join(ACCOUNTS) + " |"
    rule = "|" + "---|" * (len(ACCOUNTS) + 2)
    lines = [header, rule]
    for name, (about, allowed) in rows.items():
        cells = " | ".join("✓" if allowed[a] else "·" for a in ACCOUNTS)
        lines.append(f"| `{name}` | {about} | {cells} |")
    return "\n".join(lines)


def documented() -> str:
    text = DOCUMENT.read_text(encoding="utf-8")
    match = re.search(re.escape(BEGIN) + r"\n(.*?)\n" + re.escape(END), text, re.S)
    return match.group(1).strip() if match else f"(no {BEGIN} … {END} block)"


@pytest.fixture
def demo(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)
    return Demo()


def test_every_rule_has_a_representative_object():
    assert set(OBJECTS) == set(RULES), (
        "rules without an object in this test: "
        f"{sorted(set(RULES) - set(OBJECTS))}; objects of rules that no longer exist: "
        f"{sorted(set(OBJECTS) - set(RULES))}"
    )


def test_every_rule_for_every_demo_account_matches_docs_security_matrix(demo):
    users = {u.username: u for u in User.objects.filter(username__in=ACCOUNTS)}
    assert set(users) == set(ACCOUNTS)
    rows = {}
    for name in RULES:
        about, pick = OBJECTS[name]
        obj = pick(demo)
        rows[name] = (about, {a: users[a].has_perm(name, obj) for a in ACCOUNTS})
    computed = render_matrix(rows)
    assert computed == documented(), (
        "The permission matrix differs from docs/security.md; if the change is intended, "
        "replace the block there with:\n" + computed
    )
