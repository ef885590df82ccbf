"""Synthetic identifiers for demo data, tests and benchmarks — never real people or bodies."""

from __future__ import annotations

import datetime
import random

from stdnum.cn import ric, uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def resident_id(
    rng: random.Random,
    region: str = "220102",
    birth_date: datetime.date | None = None,
    gender: str | None = None,
) -> str:
    """A checksum-valid 18-digit resident ID for ``region`` (GB/T 2260) and birth date."""
    birth_date = birth_date or datetime.date(1960, 1, 1) + datetime.timedelta(
        days=rng.randrange(0, 365 * 40)
    )
    sequence = rng.randrange(0, 999)
    if gender is not None:
        # 17th digit: odd for men (1), even for women (2).
        digit = rng.choice("13579" if gender == "1" else "02468")
        body = f"{region}{birth_date:%Y%m%d}{sequence // 10:02d}{digit}"
    else:
        body = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def social_credit_code(rng: random.Random, region: str = "220102", kind: str = "91") -> str:
    """A checksum-valid USCC: ``kind`` 91 enterprise, 11 agency, 12 public institution,
    51 social organisation."""
    body = kind + region + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc.calc_check_digit(body)
