"""Surname-stroke ordering (姓氏笔画): by stroke count, equal counts by the strokes in writing
order (横竖撇点折), then the next character."""

from hypothesis import given
from hypothesis import strategies as st

from laurel.documents.names import by_strokes, stroke_key, strokes


def test_different_stroke_counts_order_by_count():
    # 丁 2, 王 4, 刘 6, 李 7, 张 7, 赵 9
    assert by_strokes(["赵六", "李四", "丁一", "刘备", "王五"]) == [
        "丁一",
        "王五",
        "刘备",
        "李四",
        "赵六",
    ]


def test_equal_stroke_counts_order_by_the_first_differing_stroke():
    # 于 (横横竖), 万 (横折撇), 上 (竖横横), 马 (折折横): all three strokes
    assert [len(strokes(c)) for c in "于万上马"] == [3, 3, 3, 3]
    assert by_strokes(["马超", "上官婉儿", "万里", "于洋"]) == ["于洋", "万里", "上官婉儿", "马超"]
    # 李 (横竖撇点…) before 张 (折…): seven strokes each
    assert len(strokes("李")) == len(strokes("张")) == 7
    assert by_strokes(["张伟", "李娜"]) == ["李娜", "张伟"]


def test_same_surname_orders_by_the_given_name_and_shorter_first():
    assert by_strokes(["王芳", "王一", "王", "王二"]) == ["王", "王一", "王二", "王芳"]


def test_unknown_characters_sort_after_han_characters():
    assert by_strokes(["Alice", "王五"]) == ["王五", "Alice"]


@given(st.lists(st.text(alphabet="丁于万上马王刘李张赵钱孙", min_size=1, max_size=3)))
def test_ordering_is_total_and_stable(names):
    ordered = by_strokes(names)
    assert sorted(ordered) == sorted(names)
    keys = [stroke_key(n) for n in ordered]
    assert keys == sorted(keys)
