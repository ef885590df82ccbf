"""core.forms.PlainSelect renders what Django's Select renders: name, id, the chosen option,
escaping, error attributes."""

from django import forms
from django.test.html import parse_html
from hypothesis import given
from hypothesis import strategies as st

from laurel.core.forms import PlainNumberInput, PlainSelect, PlainTextInput

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


class _PlainInputs(forms.Form):
    name = forms.CharField(max_length=50, required=False, widget=PlainTextInput)
    year = forms.IntegerField(min_value=1949, max_value=2100, widget=PlainNumberInput)


class _DjangoInputs(forms.Form):
    name = forms.CharField(max_length=50, required=False)
    year = forms.IntegerField(min_value=1949, max_value=2100)


@given(st.text(), st.one_of(st.text(), st.integers(-10_000, 10_000).map(str)))
def test_plain_inputs_render_the_same_html_as_django_inputs(name, year):
    """Issue 22: the search forms' inputs are written without a template render; the same
    element, attributes (maxlength, min/max, required, the error's aria attributes) and escaped
    value as Django's."""
    plain, django = (
        _PlainInputs({"name": name, "year": year}),
        _DjangoInputs({"name": name, "year": year}),
    )
    plain.is_valid(), django.is_valid()
    for field in ("name", "year"):
        assert parse_html(str(plain[field])) == parse_html(str(django[field]))


def test_plain_input_escapes_the_value_and_leaves_an_empty_one_out():
    html = str(_PlainInputs({"name": '"><script>', "year": ""})["name"])
    assert 'value="&quot;&gt;&lt;script&gt;"' in html and "<script>" not in html
    assert "value=" not in str(_PlainInputs({"name": ""})["name"])
