"""Demo treatment (H-7): the example policy (amounts marked as examples), so every demo
honoree has entitlements (the retired ones a pension supplement too); then one more award of
the finished round is revoked (C-11), which ends its honoree's allowance that day. Hardship
assistance: the office's bands (example amounts) and four applications of the school's
honorees — at the education bureau, at the county, at the province, and one approved and
paid."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from laurel.accounts.models import User
from laurel.evaluation.models import Award
from laurel.evaluation.services.awards import revoke_award
from laurel.orgs.models import Unit
from laurel.registry.models import Person
from laurel.treatment.models import (
    HardshipApplication,
    HardshipBand,
    Policy,
    StatusReturn,
    StatusReview,
)
from laurel.treatment.services import hardship
from laurel.treatment.services import reviews as status_reviews
from laurel.treatment.services.entitlements import refresh_all
from laurel.treatment.services.policies import load_policy

EXAMPLE = settings.BASE_DIR / "examples" / "treatment" / "policy-example.yaml"


def load() -> Policy | None:
    existing = Policy.objects.order_by("-effective_from").first()
    if existing is not None:
        return existing
    policy = load_policy(None, EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name).policy
    award = (
        Award.objects.filter(state=Award.State.VALID, registry_honour__isnull=False)
        .order_by("-pk")
        .first()
    )
    office = User.objects.filter(username="office").first()
    if award is not None and office is not None:
        revoke_award(
            office,
            award,
            reason="演示数据：经核查，获奖后受到党纪处分，依规撤销表彰。",
            evidence="演示数据：省纪委监委通报〔2026〕3号",
            certificate_recovered=True,
            bonus_recovered=False,
        )
    # Computed here, inside the demo's transaction, rather than by the task queued after
    # commit: the demo's pages (and the tests that load it) have entitlements at once. The task
    # then finds nothing to change.
    refresh_all(policy.effective_from)
    load_hardship()
    load_status_review()
    return policy


BANDS = [
    ("一档", "1000", "3000", "一般困难：因病、因灾造成家庭生活暂时困难（示例金额）"),
    ("二档", "3000", "5000", "较重困难：重大疾病、残疾，家庭人均收入低于当地低保标准（示例金额）"),
    ("三档", "5000", "10000", "特别困难：多重原因叠加，基本生活难以维持（示例金额）"),
]
CASES = [
    # (where it stops, household size, income per head, causes, circumstances)
    (
        "paid",
        3,
        "620.00",
        ["illness"],
        "本人患尿毒症，每周透析三次，医疗费用负担重；配偶无固定收入。",
    ),
    ("province", 4, "480.00", ["disaster", "illness"], "房屋在汛期受损，配偶长期患病，子女在读。"),
    (
        "county",
        2,
        "900.00",
        ["disability"],
        "本人因工伤致残（三级），无法继续工作，靠子女补贴生活。",
    ),
    (
        "supervisor",
        1,
        "1100.00",
        ["unemployment"],
        "所在企业停产，本人失业，独居，无其他收入来源。",
    ),
    ("draft", 5, "700.00", ["other"], "赡养两位高龄老人，家庭支出大（草稿，待补充材料后上报）。"),
]


def _scan(text: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (420, 594), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 400, 574), outline=(30, 90, 160), width=3)
    draw.text((40, 60), text, fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("scan.png", buffer.getvalue(), "image/png")


def load_hardship() -> list[HardshipApplication]:
    if HardshipBand.objects.exists():
        return list(HardshipApplication.objects.all())
    bands = [
        hardship.save_band(
            None, name=name, low=Decimal(low), high=Decimal(high), description=text, sort_order=i
        )
        for i, (name, low, high, text) in enumerate(BANDS, start=1)
    ]
    school = Unit.objects.filter(name="长春市南关区实验小学").first()
    if school is None:
        return []
    people = Person.objects.filter(unit=school, living=True, classified=False).order_by("pk")
    made = []
    for person, (stop, size, income, causes, text) in zip(people, CASES, strict=False):
        application = hardship.create_application(
            None,
            person,
            school,
            household_size=size,
            income_per_head=Decimal(income),
            causes=causes,
            circumstances=f"演示数据：{text}",
        )
        if stop == "draft":
            made.append(application)
            continue
        hardship.add_evidence(
            None,
            application,
            _scan(f"DEMO HARDSHIP {application.pk:04d}"),
            "诊断证明或收入证明（演示）",
        )
        application = hardship.submit_application(None, application)
        for _step in range(12):  # each department of each tier, up to where the case stops
            if application.current_tier in (stop, HardshipApplication.Tier.PROVINCE):
                break
            application = hardship.record_opinion(
                None,
                application,
                decision="agree",
                text="经核实，情况属实。",
                officer_name="审核负责人",
            )
        if stop == "paid":
            application = hardship.approve(
                None,
                application,
                band=bands[1],
                amount=Decimal("4000"),
                payer=HardshipApplication.Payer.PROVINCE,
                approval_number="吉人社帮〔2026〕1号（演示）",
            )
            hardship.record_payment(
                None,
                application,
                paid_on=application.approved_on,
                amount=Decimal("4000"),
                reference="演示-CZ-2026-0001",
            )
        made.append(application)
    return made


def load_status_review() -> StatusReview | None:
    """This year's status review under way: the school has reported three of its honorees (one
    waiting at the education bureau, one at the county, a retirement waiting for the province
    to file), and the township's paper return has been typed by the office."""
    if StatusReview.objects.exists():
        return StatusReview.objects.first()
    today = timezone.localdate()
    review = status_reviews.open_review(
        None,
        name=f"{today.year}年度全省表彰人员动态管理",
        year=today.year,
        document_number=f"吉人社联〔{today.year}〕50号（演示）",
        units_due=today + datetime.timedelta(days=14),
        counties_due=today + datetime.timedelta(days=28),
        cities_due=today + datetime.timedelta(days=42),
        province_due=today + datetime.timedelta(days=56),
    )
    report = {"died_on": None, "retired_on": None, "unit_name": "", "phone": "", "note": ""}
    school = (
        review.returns.filter(unit__name="长春市南关区实验小学", person__classified=False)
        .exclude(person__hardship_applications__isnull=False)
        .order_by("pk")
    )
    for item, stop, fields in zip(
        school,
        ("supervisor", "county", "province"),
        (
            {"outcome": StatusReturn.Outcome.UNCHANGED},
            {"outcome": StatusReturn.Outcome.MOVED, "phone": "13904315678"},
            {"outcome": StatusReturn.Outcome.RETIRED, "retired_on": today},
        ),
        strict=False,
    ):
        item = status_reviews.report_status(None, item, **{**report, **fields})
        while item.current_tier != stop:
            item = status_reviews.check_return(None, item, decision="agree", text="")
    township = review.returns.filter(unit__name="长春市南关区南岭街道办事处").order_by("pk").first()
    if township is not None:
        status_reviews.record_paper_return(
            None,
            township,
            scan=_scan(f"DEMO RETURN {township.pk:04d}"),
            **{**report, "outcome": StatusReturn.Outcome.UNCHANGED, "note": "街道盖章回执（演示）"},
        )
    return review
