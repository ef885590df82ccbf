import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from laurel.core import validators as v
from laurel.core.synthetic import resident_id, social_credit_code


def _id_ending_with_x() -> str:
    rng = random.Random(1)
    while True:
        number = resident_id(rng, "220102", datetime.date(1980, 5, 17))
        if number.endswith("X"):
            return number


def test_valid_resident_id_is_returned_normalised():
    number = resident_id(random.Random(3), "220102", datetime.date(1975, 3, 9), "2")
    assert v.validate_resident_id(f" {number[:6]} {number[6:]} ") == number


def test_lowercase_x_is_accepted_and_normalised():
    number = _id_ending_with_x()
    assert v.validate_resident_id(number.lower()) == number


def test_fifteen_digit_id_is_rejected_with_its_own_message():
    with pytest.raises(ValidationError) as error:
        v.validate_resident_id("220102800517123")
    assert error.value.code == "id_15_digits"
    assert "15位" in error.value.messages[0]


@pytest.mark.parametrize(
    "value, code",
    [
        ("22010219800517", "id_length"),
        ("2201021980051712345", "id_length"),
        ("22010219800517A23X", "id_format"),
    ],
)
def test_malformed_ids_name_the_problem(value, code):
    with pytest.raises(ValidationError) as error:
        v.validate_resident_id(value)
    assert error.value.code == code


def test_wrong_check_digit_is_rejected():
    number = resident_id(random.Random(4), "220102", datetime.date(1980, 1, 1))
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        v.validate_resident_id(wrong)
    assert error.value.code == "id_checksum"


def _with_check_digit(body17: str) -> str:
    from stdnum.cn import ric

    return body17 + ric.calc_check_digit(body17 + "0")


def test_impossible_birth_date_is_rejected():
    with pytest.raises(ValidationError) as error:
        v.validate_resident_id(_with_check_digit("22010219800230123"))
    assert error.value.code == "id_birth_date"
    assert "19800230" in error.value.messages[0]


def test_birth_date_in_the_future_is_rejected():
    future = datetime.date.today() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as error:
        v.validate_resident_id(_with_check_digit(f"220102{future:%Y%m%d}123"))
    assert error.value.code == "id_birth_date"


def test_unknown_region_code_is_rejected():
    with pytest.raises(ValidationError) as error:
        v.validate_resident_id(_with_check_digit("99999919800517123"))
    assert error.value.code == "id_region"
    assert "999999" in error.value.messages[0]


def test_historical_region_code_valid_for_people_born_while_it_existed():
    # 220181 九台市 became 长春市九台区 (220113) in 2014: still valid for a 1980 birth …
    assert v.validate_resident_id(_with_check_digit("22018119800517123"))
    # … but nobody born after 2014 can carry it.
    with pytest.raises(ValidationError) as error:
        v.validate_resident_id(_with_check_digit("22018120160517123"))
    assert error.value.code == "id_region"


def test_code_created_after_the_birth_year_is_accepted():
    # Numbers were issued in the 1980s: a 1960 birth in 南关区 (code since 1983) is valid.
    assert v.validate_resident_id(_with_check_digit("22010219600517123"))


def test_birth_date_and_gender_are_derived():
    number = resident_id(random.Random(5), "220102", datetime.date(1969, 12, 31), "1")
    assert v.resident_id_birth_date(number) == datetime.date(1969, 12, 31)
    assert v.resident_id_gender(number) == v.GENDER_MALE
    woman = resident_id(random.Random(6), "220102", datetime.date(1990, 2, 1), "2")
    assert v.resident_id_gender(woman) == v.GENDER_FEMALE


def test_entered_birth_date_and_gender_are_checked_against_the_id():
    number = resident_id(random.Random(5), "220102", datetime.date(1969, 12, 31), "1")
    assert v.resident_id_mismatches(number, datetime.date(1969, 12, 31), "1") == []
    problems = v.resident_id_mismatches(number, datetime.date(1970, 1, 1), "2")
    assert len(problems) == 2
    assert "1969-12-31" in problems[0]


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    position=st.integers(0, 16),
    delta=st.integers(1, 9),
)
def test_any_single_digit_error_is_caught(seed, position, delta):
    number = resident_id(random.Random(seed), "220102")
    digit = (int(number[position]) + delta) % 10
    typo = number[:position] + str(digit) + number[position + 1 :]
    with pytest.raises(ValidationError):
        v.validate_resident_id(typo)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_arbitrary_text_never_crashes_the_id_validator(text):
    try:
        v.validate_resident_id(text)
    except ValidationError as error:
        assert error.messages


def test_valid_uscc():
    code = social_credit_code(random.Random(1))
    assert v.validate_uscc(code.lower()) == code


@pytest.mark.parametrize(
    "value, code",
    [
        ("91220102MA1", "uscc_length"),
        ("91220102MA14ABCDEI", "uscc_format"),
    ],
)
def test_invalid_uscc_named(value, code):
    with pytest.raises(ValidationError) as error:
        v.validate_uscc(value)
    assert error.value.code == code


def test_uscc_wrong_check_character():
    code = social_credit_code(random.Random(2))
    wrong = code[:17] + ("1" if code[17] != "1" else "2")
    with pytest.raises(ValidationError) as error:
        v.validate_uscc(wrong)
    assert error.value.code == "uscc_checksum"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 186-4311-2345", "18643112345"),
    ],
)
def test_valid_mobile(value, expected):
    assert v.validate_mobile(value) == expected


@pytest.mark.parametrize("value", ["12345678901", "1381234567", "0431-88888888", "abc"])
def test_invalid_mobile(value):
    with pytest.raises(ValidationError):
        v.validate_mobile(value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0431-88888888", "0431-88888888"),
        ("043188888888", "0431-88888888"),
        ("(0431)88888888", "0431-88888888"),
        ("010-12345678", "010-12345678"),
        ("0431-88888888-123", "0431-88888888-123"),
    ],
)
def test_valid_landline(value, expected):
    assert v.validate_landline(value) == expected


@pytest.mark.parametrize(
    "value", ["0431-8888888", "88888888", "13812345678", "0431-88888888-1234567"]
)
def test_invalid_landline(value):
    with pytest.raises(ValidationError):
        v.validate_landline(value)


def test_phone_accepts_either_kind_and_explains_both():
    assert v.validate_phone("13812345678") == "13812345678"
    assert v.validate_phone("0431-88888888") == "0431-88888888"
    with pytest.raises(ValidationError) as error:
        v.validate_phone("12345")
    assert "手机" in error.value.messages[0] and "固定电话" in error.value.messages[0]


def test_masks():
    # Issue 19: province and city only, and the check character's neighbour — birth date,
    # county and serial number stay hidden.
    assert v.mask_resident_id("22010219800517123X") == "2201************3X"
    assert v.mask_phone("13812345678") == "138****5678"
    assert v.mask_phone("") == ""


@pytest.mark.parametrize(
    "name",
    ["王芳", "阿依古丽·买买提", "阿依古丽•买买提", "Zhang Wei", "欧阳娜娜"],
)
def test_h6_person_names_keep_the_middle_dot(name):
    v.validate_person_name(name)


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("王\u202e芳", "U+202E"),  # right-to-left override: shown reversed in every list
        ("王\u200d芳", "U+200D"),  # zero-width joiner: hides a duplicate
        ("王\u200b芳", "U+200B"),
        ("王芳\ufeff", "U+FEFF"),
        ("王芳😀", "😀"),
        ("王<芳>", "<"),
    ],
)
def test_h6_person_names_refuse_invisible_characters_and_emoji(name, fragment):
    with pytest.raises(ValidationError) as error:
        v.validate_person_name(name)
    assert fragment in error.value.messages[0]


def test_h6_one_id_normaliser_for_every_spelling():
    clean = "22010219730404204X"
    for spelling in (
        "２２０１０２１９７３０４０４２０４ｘ",
        "220102 19730404 204x",
        "220102-19730404-204X",
        " 220102—19730404—204X ",
        "220102\u300019730404204X",
    ):
        assert v.normalize_resident_id(spelling) == clean, spelling
