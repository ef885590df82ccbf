"""Validators for identity numbers, codes and phone numbers.

Each ``validate_*`` raises :class:`django.core.exceptions.ValidationError` with a Chinese message
and returns the normalised value, so forms, imports and services share one implementation.
"""

from __future__ import annotations

import datetime
import functools
import re
import time
import unicodedata
from pathlib import Path

import phonenumbers
import stdnum
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.util import clean as stdnum_clean

GENDER_MALE = "1"  # GB/T 2261.1
GENDER_FEMALE = "2"


_CLEAN_ID = re.compile(r"[0-9]{17}[0-9X]")


def normalize_resident_id(value: str) -> str:
    """The one ID normaliser (every form, import, search, look-up hash and the API): full-width
    characters half-width, spaces and dashes of any kind dropped (python-stdnum's ``clean``
    folds the dash variants), a lowercase ``x`` made ``X``. A number already in that form is
    returned as it is (most of them; ``clean`` walks every character: a fifth of an import)."""
    if value and _CLEAN_ID.fullmatch(value):
        return value
    text = stdnum_clean(unicodedata.normalize("NFKC", value or ""))
    return re.sub(r"[\s\-]+", "", text).upper()


def validate_resident_id(value: str) -> str:
    """Check an 18-digit resident identity number (GB 11643) and return it normalised."""
    number = normalize_resident_id(value)
    if len(number) == 15 and number.isdigit():
        raise ValidationError(
            _("不支持15位旧版身份证号码，请填写18位公民身份号码。"), code="id_15_digits"
        )
    if len(number) != 18:
        raise ValidationError(
            _("公民身份号码应为18位，当前为%(length)d位。") % {"length": len(number)},
            code="id_length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("公民身份号码前17位须为数字，最后一位为数字或X。"), code="id_format"
        )
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(_("公民身份号码校验位不正确，请逐位核对号码。"), code="id_checksum")
    try:
        birth = _birth_date(number)
    except ValueError:
        raise ValidationError(
            _("公民身份号码中的出生日期“%(digits)s”不是有效日期。") % {"digits": number[6:14]},
            code="id_birth_date",
        ) from None
    if birth > _today() or birth.year < 1900:
        raise ValidationError(
            _("公民身份号码中的出生日期“%(digits)s”不在合理范围内。") % {"digits": number[6:14]},
            code="id_birth_date",
        )
    if not _region_possible(number[:6], birth.year):
        raise ValidationError(
            _("公民身份号码中的地址码“%(code)s”不是有效的行政区划代码。") % {"code": number[:6]},
            code="id_region",
        )
    return number


def _today() -> datetime.date:
    """Today in Asia/Shanghai, worked out once a minute (an import checks 100,000 numbers)."""
    return _local_date(int(time.time()) // 60)


@functools.lru_cache(maxsize=2)
def _local_date(_minute: int) -> datetime.date:
    return timezone.localdate()


@functools.lru_cache(maxsize=65536)
def _region_possible(code: str, birth_year: int) -> bool:
    """The address code is a county-level GB/T 2260 code, current or historical, that had not
    been abolished before the person was born.

    stdnum's ``ric.get_birth_place`` also requires the code to exist in the birth year, but
    numbers were first issued in the 1980s with the codes of that time, so it would reject
    everybody born before their county's code was created (anyone born before 1983 in 南关区,
    220102). We read the same code list (stdnum's numdb) with the looser, correct rule.
    """
    results = numdb.get("cn/loc").info(code)
    info = {key: value for _part, props in results for key, value in props.items()}
    if "county" not in info:
        return False
    for county in info["county"].split(","):
        if not county.startswith("["):
            return True
        end = county[1:].split("]")[0].split("-")[1]
        if not end or int(end) >= birth_year:
            return True
    return False


def _birth_date(number: str) -> datetime.date:
    """The birth date digits of an 18-character number (ValueError when not a date); stdnum's
    ``ric.get_birth_date`` cleans the number again first, which made it the slowest step of a
    100,000-row import."""
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def _gender(number: str) -> str:
    return GENDER_MALE if int(number[16]) % 2 else GENDER_FEMALE


def resident_id_birth_date(value: str) -> datetime.date:
    return _birth_date(validate_resident_id(value))


def resident_id_gender(value: str) -> str:
    """GB/T 2261.1 gender code from the sequence digit: odd is male (1), even is female (2)."""
    return _gender(validate_resident_id(value))


def resident_id_facts(value: str) -> tuple[str, datetime.date, str]:
    """Validate once: the normalised number, its birth date and its gender code."""
    number = validate_resident_id(value)
    return number, _birth_date(number), _gender(number)


def resident_id_mismatches(
    value: str, birth_date: datetime.date | None = None, gender: str | None = None
) -> list[str]:
    """Messages for each entered field that disagrees with the ID number."""
    number = validate_resident_id(value)
    problems = []
    derived_birth = _birth_date(number)
    if birth_date is not None and birth_date != derived_birth:
        problems.append(
            _("出生日期（%(entered)s）与公民身份号码中的出生日期（%(derived)s）不一致。")
            % {"entered": birth_date.isoformat(), "derived": derived_birth.isoformat()}
        )
    if gender and gender != resident_id_gender(number):
        problems.append(_("性别与公民身份号码不一致。"))
    return problems


def validate_uscc(value: str) -> str:
    """Unified social credit code (GB 32100): 18 characters with a check character."""
    code = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(length)d位。") % {"length": len(code)},
            code="uscc_length",
        )
    try:
        return uscc.validate(code)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请逐位核对。"), code="uscc_checksum"
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("统一社会信用代码格式不正确（不得含字母I、O、Z、S、V）。"), code="uscc_format"
        ) from None


def validate_mobile(value: str) -> str:
    text = re.sub(r"[\s()（）-]", "", unicodedata.normalize("NFKC", value or ""))
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number)
        not in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
    ):
        raise ValidationError(
            _("“%(value)s”不是有效的手机号码（11位，以1开头）。") % {"value": value},
            code="mobile",
        )
    return str(number.national_number)


def validate_landline(value: str) -> str:
    """A fixed-line number with its area code, normalised to 0431-88888888 (-extension)."""
    text = re.sub(r"[\s()（）]", "", unicodedata.normalize("NFKC", value or ""))
    match = re.fullmatch(r"(.+?)(?:(?:-|转|ext\.?)(\d{1,6}))?", text)
    base, extension = (match.group(1), match.group(2)) if match else (text, None)
    try:
        number = phonenumbers.parse(base, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.FIXED_LINE
    ):
        raise ValidationError(
            _("“%(value)s”不是有效的固定电话号码（区号-号码，如0431-88888888）。")
            % {"value": value},
            code="landline",
        )
    significant = phonenumbers.national_significant_number(number)
    area = phonenumbers.length_of_geographical_area_code(number)
    normalised = f"0{significant[:area]}-{significant[area:]}"
    return f"{normalised}-{extension}" if extension else normalised


def validate_phone(value: str) -> str:
    """A mobile or a landline number, normalised."""
    try:
        return validate_mobile(value)
    except ValidationError:
        pass
    try:
        return validate_landline(value)
    except ValidationError:
        raise ValidationError(
            _("“%(value)s”不是有效的电话号码：请填写11位手机号码或“区号-号码”格式的固定电话。")
            % {"value": value},
            code="phone",
        ) from None


# The separator of ethnic-minority and transliterated names (阿依古丽·买买提): U+00B7 and the
# look-alikes that input methods produce.
NAME_DOTS = "·•・‧∙．"
# Inside a foreign name: hyphens (让-皮埃尔), apostrophes (O'Brien), a full stop (J. Smith).
NAME_JOINERS = "-‐‑–'’."
# Letters and marks that draw nothing: Hangul fillers, the combining grapheme joiner, variation
# selectors — a name can hide a duplicate with them as well as with a zero-width space.
_BLANK_LETTERS = re.compile(
    "[\u115f\u1160\u3164\uffa0\u034f\u180b-\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]"
)


def _invisible(value: str) -> str | None:
    """The first control, format (bidi override, zero-width), private, unassigned or blank
    character."""
    for char in value or "":
        if unicodedata.category(char)[0] == "C" or _BLANK_LETTERS.match(char):
            return char
    return None


def validate_plain_text(value: str) -> None:
    """A single-line name (a unit, a collective): no invisible characters — a right-to-left
    override displays the name reversed in every list, a zero-width joiner hides a duplicate."""
    char = _invisible(value)
    if char is not None:
        raise ValidationError(
            _("含有不可见的控制字符（U+%(code)04X），请删除后重新输入。") % {"code": ord(char)},
            code="invisible",
        )


def validate_person_name(value: str) -> None:
    """A person's name (姓名): letters of any script, the middle dot of ethnic-minority names,
    the hyphen, apostrophe and full stop of foreign names, spaces (the ideographic one too) and
    digits (a record number some registers append); no invisible characters, emoji, symbols
    or other punctuation, and at least one letter."""
    validate_plain_text(value)
    for char in value or "":
        if char in NAME_DOTS or char in NAME_JOINERS or unicodedata.category(char) == "Zs":
            continue
        if unicodedata.category(char)[0] in "LMN":
            continue
        raise ValidationError(
            _("姓名中不能含有“%(char)s”：只能填写文字，少数民族姓名可用间隔号“·”。")
            % {"char": char},
            code="name_char",
        )
    if value and not any(unicodedata.category(char)[0] == "L" for char in value):
        raise ValidationError(_("姓名中没有文字。"), code="name_empty")


def validate_any_phone(value: str) -> str:
    """A mobile number, or a landline with its area code (an office's number may be either)."""
    text = (value or "").strip()
    return (validate_mobile if text.startswith("1") else validate_phone)(text)


def mask_resident_id(value: str) -> str:
    """Keep the province and city (4 characters) and the last two: 2201************3X. The
    six-and-four mask common elsewhere hides exactly the birth date, which every form shows
    beside it — together they were the whole number (issue 19)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


def mask_phone(value: str) -> str:
    """Keep the first three and last four digits: 138****5678."""
    digits = value or ""
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def _county_names() -> frozenset[str]:
    """Every county-level name in stdnum's GB/T 2260 list (current and historical)."""

    names = set()
    path = Path(stdnum.__path__[0]) / "cn" / "loc.dat"
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r'^\s+(\d{4}) county="(?:\[[^\]]*\])?([^"]+)"', line)
        if match and not match.group(1).endswith("00") and match.group(2) != "市辖区":
            names.add(match.group(2))
    return frozenset(names)


_COUNTIES: frozenset[str] | None = None


def validate_native_place(value: str) -> str:
    """籍贯 down to county level (C-14), e.g. 吉林省农安县 or 山东省莱阳市."""
    global _COUNTIES
    if _COUNTIES is None:
        _COUNTIES = _county_names()
    text = re.sub(r"\s+", "", value or "")
    if not any(text.endswith(name) for name in _COUNTIES if len(name) >= 2):
        raise ValidationError(
            _("籍贯须精确到县（市、区、旗），如“吉林省农安县”；“%(value)s”不是县级名称结尾。")
            % {"value": text},
            code="native_place",
        )
    return text


def record_ids(values) -> list[int]:
    """Posted record ids as integers; anything else is refused with a message, not a 500."""
    try:
        ids = [int(value) for value in values]
    except (TypeError, ValueError):
        raise ValidationError(_("所选对象无效，请刷新页面后重试。")) from None
    if any(abs(i) > 2**63 - 1 for i in ids):
        raise ValidationError(_("所选对象无效，请刷新页面后重试。"))
    return list(dict.fromkeys(ids))  # one id posted twice is the same choice, not two


def validate_opinion_date(
    day: datetime.date | None,
    *,
    earliest: datetime.date | None = None,
    earliest_label: str = "",
    on_paper: bool = False,
    field: str = "decided_on",
) -> datetime.date:
    """The date of an opinion (online or on a sealed letter): never after today, never before
    the request or submission it answers (``earliest``). Given online, an empty date is today;
    a letter's date must be typed as it stands on the letter."""
    today = timezone.localdate()
    if day is None:
        if on_paper:
            raise ValidationError({field: _("请填写纸质意见的落款日期。")})
        day = today
    if day > today:
        raise ValidationError({field: _("意见日期不能晚于今天。")})
    if earliest and day < earliest:
        raise ValidationError(
            {
                field: _("意见日期早于%(label)s（%(day)s），请核对。")
                % {
                    "label": earliest_label,
                    "day": _("%(y)d年%(m)d月%(d)d日")
                    % {"y": earliest.year, "m": earliest.month, "d": earliest.day},
                }
            }
        )
    return day
