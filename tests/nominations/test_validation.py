"""C-13 and C-14: the approval forms' own rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from laurel.core.text import count_chars
from laurel.nominations.models import Nominee, ResumeEntry
from laurel.nominations.services import nominees as service
from laurel.nominations.validation import completeness_problems, resume_problems
from tests.nominations.conftest import complete_collective, complete_individual

D = datetime.date
pytestmark = pytest.mark.django_db


def _entries(*spans):
    return [ResumeEntry(start=s, end=e, text=f"经历{i}") for i, (s, e) in enumerate(spans)]


def test_c14_resume_without_gaps_passes():
    entries = _entries(
        (D(2000, 9, 1), D(2004, 7, 1)), (D(2004, 7, 1), D(2010, 3, 1)), (D(2010, 4, 1), None)
    )
    assert resume_problems(entries, today=D(2026, 11, 22)) == []


def test_c14_resume_gap_is_named_by_month():
    entries = _entries((D(2000, 9, 1), D(2004, 7, 1)), (D(2004, 11, 1), None))
    [problem] = resume_problems(entries, today=D(2026, 11, 22))
    assert str(problem) == "简历断档：2004年8月至2004年10月没有经历。"


def test_c14_one_month_gap_reads_naturally():
    entries = _entries((D(2000, 9, 1), D(2004, 7, 1)), (D(2004, 9, 1), None))
    [problem] = resume_problems(entries, today=D(2026, 11, 22))
    assert str(problem) == "简历断档：2004年8月没有经历。"


def test_c14_resume_overlap_is_named():
    entries = _entries((D(2000, 9, 1), D(2005, 7, 1)), (D(2004, 3, 1), None))
    [problem] = resume_problems(entries, today=D(2026, 11, 22))
    assert "重叠" in str(problem) and "2004年3月" in str(problem)


def test_c14_resume_must_reach_today():
    entries = _entries((D(2000, 9, 1), D(2020, 7, 1)))
    [problem] = resume_problems(entries, today=D(2026, 11, 22))
    assert "2020年7月" in str(problem)
    assert resume_problems([], today=D(2026, 11, 22))[0].field == "resume"


def test_chars_are_counted_without_whitespace():
    assert count_chars("他 是\n一名　优秀的，同志。") == 11
    assert count_chars("") == 0


def test_c13_deeds_over_the_limit_are_reported_with_the_count(published, cc_staff, cc_unit):
    nominee = complete_collective(cc_staff, published, cc_unit, deeds="事" * 801)
    messages = [str(p) for p in completeness_problems(nominee)]
    assert "主要事迹共801字，超过800字的上限（不计空格和换行）。" in messages
    spaced = complete_collective(
        cc_staff, published, cc_unit, name="另一集体", deeds="事 " * 800 + "\n\n"
    )
    assert not [p for p in completeness_problems(spaced) if p.field == "deeds"]


def test_c13_profile_limit(published, cc_staff, cc_unit):
    nominee = complete_collective(cc_staff, published, cc_unit, profile="况" * 301)
    assert any(p.field == "profile" for p in completeness_problems(nominee))


def test_c13_temporary_collective_carries_the_suffix(published, cc_staff, cc_unit):
    nominee = complete_collective(cc_staff, published, cc_unit, name="棚改专班", is_temporary=True)
    assert any("（临时集体）" in str(p) for p in completeness_problems(nominee))
    fixed = complete_collective(
        cc_staff, published, cc_unit, name="棚改专班（临时集体）", is_temporary=True
    )
    assert completeness_problems(fixed) == []


def test_c14_complete_individual_has_no_problems(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    assert completeness_problems(nominee) == []


def test_c14_birth_date_and_gender_must_match_the_id(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    nominee = service.save_draft(cc_staff, nominee, birth_date=D(1981, 1, 1), gender="2")
    messages = [str(p) for p in completeness_problems(nominee) if p.field == "id_number"]
    assert len(messages) == 2 and "1980-05-17" in messages[0]


def test_c14_native_place_down_to_county_and_enumerations(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    with pytest.raises(ValidationError) as error:
        service.save_draft(cc_staff, nominee, native_place="吉林长春")
    assert "native_place" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        service.save_draft(cc_staff, nominee, staffing_type="合同")
    assert "staffing_type" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        service.save_draft(cc_staff, nominee, id_number="220102800517123")
    assert "15位" in error.value.message_dict["id_number"][0]
    nominee.refresh_from_db()
    assert nominee.native_place == "吉林省农安县"  # nothing saved


def test_c14_awards_below_prefecture_level_are_refused(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    with pytest.raises(ValidationError):
        service.set_records(
            cc_staff,
            nominee,
            "award",
            [{"date": D(2019, 5, 1), "issuer": "南关区政府", "text": "区级先进", "level": "below"}],
        )
    assert not nominee.records.exists()


def test_c13_collective_division_down_to_county(published, cc_staff, cc_unit):
    from laurel.core.models import Division

    nominee = complete_collective(
        cc_staff, published, cc_unit, unit_division=Division.objects.get(code="220100")
    )
    assert "“所在行政区划”须精确到县（市、区）。" in [
        str(p) for p in completeness_problems(nominee)
    ]
    missing = complete_collective(cc_staff, published, cc_unit, name="另一集体", unit_division=None)
    assert "请填写“所在行政区划”。" in [str(p) for p in completeness_problems(missing)]


def test_h6_one_id_once_per_campaign_whatever_its_spelling(
    client, published, cc_staff, nanguan_unit
):
    """Review of issue 18 / issue 19: the full-width spelling of an ID already nominated was
    accepted through the API and stored as typed. One normaliser, then one hash; the database
    holds the rule too."""
    from django.db import IntegrityError, transaction

    from laurel.core import crypto

    nominee = complete_individual(cc_staff, published, nanguan_unit)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in nominee.id_number)  # full-width digits
    client.force_login(cc_staff)
    response = client.post(
        "/api/nominees/",
        {
            "campaign": published.pk,
            "category": "individual",
            "name": "另一人",
            "id_number": wide,
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "只能推荐一次" in response.content.decode()
    spaced = f"{nominee.id_number[:6]} {nominee.id_number[6:14]}-{nominee.id_number[14:].lower()}"
    assert crypto.lookup_hash(spaced) == crypto.lookup_hash(nominee.id_number)
    other = complete_individual(cc_staff, published, nanguan_unit, name="第三人")
    with pytest.raises(IntegrityError), transaction.atomic():
        Nominee.objects.filter(pk=other.pk).update(id_hash=nominee.id_hash)
    own = other.id_number
    other.id_number = f" {own[:6]}－{own[6:]} "  # a full-width dash and spaces, as pasted
    other.save()
    assert Nominee.objects.get(pk=other.pk).id_number == own


def test_c13_a_draft_keeps_over_long_deeds_but_not_without_bound(published, cc_staff, cc_unit):
    """A draft may run over 800 characters while it is being cut (completeness says so); a
    megabyte pasted into it is refused with the field named, and the saved draft is kept."""
    nominee = complete_collective(cc_staff, published, cc_unit, procedure=False)
    kept = nominee.deeds
    nominee = service.save_draft(cc_staff, nominee, deeds="事" * 2000)
    assert len(Nominee.objects.get(pk=nominee.pk).deeds) == 2000
    with pytest.raises(ValidationError) as error:
        service.save_draft(cc_staff, nominee, deeds="事" * 10_001)
    assert list(error.value.message_dict) == ["deeds"]
    assert "10000" in error.value.message_dict["deeds"][0]
    assert Nominee.objects.get(pk=nominee.pk).deeds == "事" * 2000 != kept


def test_an_id_number_pasted_with_spaces_is_read_and_normalised(published):
    from stdnum.cn import ric

    from laurel.nominations.forms import NomineeForm

    body = next(
        b for s in range(1000) if ric.calc_check_digit((b := f"22010219800517{s:03d}") + "?") == "X"
    )
    number = body + "x"
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}".replace(" ", "  ")
    assert len(spaced) > 18
    form = NomineeForm(
        {"name": "王某某", "id_number": spaced}, kind="individual", campaign=published
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == number.upper()
    form = NomineeForm(
        {"name": "王某某", "id_number": "2" * 31}, kind="individual", campaign=published
    )
    assert not form.is_valid() and "id_number" in form.errors
