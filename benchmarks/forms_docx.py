"""Time N individual approval forms (附件3, .docx) against a baseline that only opens and saves
the python-docx template N times in the same run.

The nominees are unsaved synthetic model instances (no database needed), filled like real ones:
résumé, records, photo and review opinions are attached the way ``official.prefetch`` would."""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings")
os.environ.setdefault("LAUREL_DEBUG", "0")  # as in production: no query log, no template debug
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import django

django.setup()

from docx import Document as new_document  # noqa: E402
from PIL import Image  # noqa: E402
from targets import report  # noqa: E402

D = datetime.date


class _Related(list):
    def all(self):
        return self


def _nominees(count: int):
    from laurel.campaigns.models import AwardCategory, Campaign, NominatingBody
    from laurel.core.models import Division
    from laurel.core.synthetic import resident_id
    from laurel.nominations.models import Nominee, ResumeEntry

    rng = random.Random(1)
    campaign = Campaign(name="示例活动", review_functions=["hr_social_security", "housing"])
    category = AwardCategory(
        campaign=campaign, kind="individual", name="先进个人", honour_title="示例先进个人"
    )
    body = NominatingBody(campaign=campaign, name="示例市", kind="region")
    division = Division(code="220102", name="南关区", level="county")
    people = []
    for index in range(count):
        birth = D(1970 + index % 20, 1 + index % 12, 1 + index % 28)
        nominee = Nominee(
            pk=index + 1,
            campaign=campaign,
            category=category,
            body=body,
            kind="individual",
            name=f"测试{index}",
            gender="1",
            birth_date=birth,
            native_place="吉林省农安县",
            work_start=D(birth.year + 22, 7, 1),
            id_number=resident_id(rng, "220102", birth, "1"),
            position_rank="科长",
            work_unit_name="示例单位",
            unit_division=division,
            division=division,
            unit_phone="0431-88776655",
            mobile="13800000000",
            deeds="该同志" + "认真负责，成绩突出。" * 80,
        )
        nominee._prefetched_objects_cache = {
            "resume": _Related(
                [
                    ResumeEntry(
                        start=D(birth.year + 18, 9, 1), end=nominee.work_start, text="学生"
                    ),
                    ResumeEntry(start=nominee.work_start, end=None, text="示例单位科员、科长"),
                ]
            ),
            "records": _Related(),
            "review_opinions": _Related(),
            "clearances": _Related(),
        }
        nominee._state.fields_cache["award"] = None  # not awarded: no query
        people.append(nominee)
    return people


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (330, 462), (67, 142, 219)).save(buffer, format="JPEG")
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()

    from laurel.documents import docx, official

    nominees = _nominees(args.count)
    photo = _photo()
    official._photo = lambda nominee: photo  # every form carries a photo, as real ones do
    codes = official.Codes()
    codes._names = {"ethnicity": {}, "political_status": {}, "education": {}, "degree": {}}

    start = time.perf_counter()
    for _ in range(args.count):
        buffer = io.BytesIO()
        new_document().save(buffer)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    total = 0
    for nominee in nominees:
        total += len(docx.render(official.individual_form(nominee, codes)))
    ours = time.perf_counter() - start

    # Issue 10's baseline: docxtpl rendering the same form from a template held in memory.
    # The template is our own 附件3 with the person's values replaced by Jinja placeholders.
    from docxtpl import DocxTemplate

    fields = (
        "name",
        "native_place",
        "id_number",
        "position_rank",
        "work_unit_name",
        "unit_phone",
        "mobile",
        "deeds",
    )
    template_nominee = _nominees(1)[0]
    for name in fields:
        setattr(template_nominee, name, "{{ " + name + " }}")
    template_bytes = docx.render(official.individual_form(template_nominee, codes))
    start = time.perf_counter()
    for nominee in nominees:
        document = DocxTemplate(io.BytesIO(template_bytes))
        document.render({name: getattr(nominee, name) for name in fields})
        document.save(io.BytesIO())
    docxtpl_time = time.perf_counter() - start

    print(f"{args.count} individual forms (附件3 .docx): {ours:.2f} s ({total / 1e6:.1f} MB)")
    print(
        f"baseline, open and save the template {args.count} times: {baseline:.2f} s, "
        f"ratio {ours / baseline:.2f}"
    )
    print(
        f"baseline, docxtpl render-from-bytes of the same form: {docxtpl_time:.2f} s, "
        f"ratio {ours / docxtpl_time:.2f}"
    )
    report("forms ≤ 1.0× docxtpl", ours / docxtpl_time, 1.0, at_most=True)


if __name__ == "__main__":
    main()
