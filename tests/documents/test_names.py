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


def test_counts_are_unicodes_own_达_and_孙_have_six():
    """Issue 21: the stroke table says 5 for 达; Unihan kTotalStrokes says 6, and decides."""
    from laurel.documents.names import total_strokes

    assert len(strokes("达")) == 5  # the table's error this guards against
    assert total_strokes("达") == 6 and total_strokes("孙") == 6
    assert total_strokes("叶") == 5 and total_strokes("白") == 5
    assert by_strokes(["达瓦", "叶芳", "白雪"]) == ["叶芳", "白雪", "达瓦"]


def test_rare_characters_have_their_count_and_sort_among_han_characters():
    from laurel.documents.names import total_strokes

    assert total_strokes("䶮") == 9 and total_strokes("𠮷") == 6  # extension A, extension B
    # 𠮷 (6) with the six-stroke surnames, before 䶮 (9), before Latin letters
    assert by_strokes(["Li", "䶮明", "𠮷田", "王五"]) == ["王五", "𠮷田", "䶮明", "Li"]


def test_the_middle_dot_and_spaces_do_not_count_for_the_order():
    # 阿依古丽·买买提 orders by 阿依古丽买买提; the dot never puts it after other names
    assert stroke_key("阿依古丽·买买提") == stroke_key("阿依古丽买买提")
    assert stroke_key("王 五") == stroke_key("王五")
    assert by_strokes(["阿依·木", "阿依古"])[0] == "阿依·木"  # 木 (4) before 古 (5)
