"""core.forms.PlainSelect renders what Django's Select renders: name, id, the chosen option,
escaping, error attributes."""

from django import forms
from django.test.html import parse_html
from hypothesis import given
from hypothesis import strategies as st

from laurel.core.forms import PlainSelect

CHOICES = [("", "—"), ("a", "甲"), ("<b>", "<script>x</script>"), ("1", "一 & 二")]


class _Plain(forms.Form):
    choice = forms.ChoiceField(choices=CHOICES, widget=PlainSelect)


class _Django(forms.Form):
    choice = forms.ChoiceField(choices=CHOICES)


def test_plain_select_marks_the_chosen_option_and_escapes_values_and_labels():
    html = str(_Plain({"choice": "<b>"})["choice"])
    assert '<option value="&lt;b&gt;" selected>&lt;script&gt;x&lt;/script&gt;</option>' in html
    assert '<option value="a">甲</option>' in html and "<script>" not in html


@given(st.one_of(st.sampled_from([c for c, _ in CHOICES]), st.text()))
def test_plain_select_renders_the_same_html_as_django_select(value):
    plain = str(_Plain({"choice": value})["choice"])
    django = str(_Django({"choice": value})["choice"])
    assert parse_html(plain) == parse_html(django)
