"""core/formats.py: Looker's value formats, from a field's metadata to the text a cell shows."""

import pytest

from looker_pkce.core import formats


def spec(prefix="", suffix="", decimals=None, group=True, percent=False):
    return {"prefix": prefix, "suffix": suffix, "decimals": decimals, "group": group, "percent": percent}


@pytest.mark.parametrize("pattern, expected", [
    ("#,##0", spec(decimals=0)),
    ("$#,##0.00", spec(prefix="$", decimals=2)),
    ("0.0%", spec(suffix="%", decimals=1, group=False, percent=True)),
    ('#,##0" items"', spec(suffix=" items", decimals=0)),
    ('"~"0.###', spec(prefix="~", decimals=3, group=False)),
    ("0", spec(decimals=0, group=False)),
    ("€#,##0.000", spec(prefix="€", decimals=3)),
    ("0.00 %", spec(suffix=" %", decimals=2, group=False, percent=True)),
    ('0" XL"', spec(suffix=" XL", decimals=0, group=False)),
    ("0.0,,", spec(suffix=",,", decimals=1, group=False)),  # Excel's scaling commas: not a thousands separator
])
def test_an_excel_style_format_gives_prefix_suffix_decimals_grouping_and_percent(pattern, expected):
    assert formats.parse(pattern) == expected


def test_a_format_without_digits_is_the_measure_default_and_a_fresh_copy():
    parsed = formats.parse("text")
    assert parsed == formats.MEASURE and parsed is not formats.MEASURE


def test_a_comma_or_a_percent_outside_the_digits_does_not_group_or_scale():
    assert formats.parse('0" in a, b or c"')["group"] is False
    assert formats.parse('"%"0')["percent"] is False


def test_a_value_format_beats_a_value_format_name():
    field = {"value_format": "0.0", "value_format_name": "usd", "category": "measure"}
    assert formats.spec_for(field) == spec(decimals=1, group=False)


@pytest.mark.parametrize("name, text", [
    ("decimal_0", "1,234"), ("decimal_2", "1,234.25"), ("usd_0", "$1,234"), ("usd", "$1,234.25"),
    ("gbp", "£1,234.25"), ("eur_0", "€1,234"), ("id", "1234"),
])
def test_a_value_format_name_is_lookers_format_of_that_name(name, text):
    assert formats.format_value(1234.25, formats.spec_for({"value_format_name": name})) == text


def test_a_percent_name_scales_by_a_hundred():
    assert formats.format_value(0.1234, formats.spec_for({"value_format_name": "percent_2"})) == "12.34%"


def test_without_a_format_a_measure_groups_digits_and_a_dimension_shows_them_as_they_are():
    assert formats.spec_for({"category": "measure"}) == formats.MEASURE
    assert formats.spec_for({"category": "dimension"}) == formats.PLAIN
    assert formats.spec_for({}) == formats.PLAIN
    assert formats.spec_for({"value_format_name": "no_such_name", "category": "measure"}) == formats.MEASURE
    assert formats.spec_for({"value_format": "", "category": "measure"}) == formats.MEASURE
    assert formats.spec_for({"category": "measure"}) is not formats.MEASURE
    assert formats.spec_for({}) is not formats.PLAIN


@pytest.mark.parametrize("digits, grouped", [
    ("", ""), ("7", "7"), ("123", "123"), ("1234", "1,234"), ("123456", "123,456"), ("1234567", "1,234,567"),
])
def test_digits_are_grouped_in_threes_from_the_right(digits, grouped):
    assert formats.group_digits(digits) == grouped


@pytest.mark.parametrize("number, decimals, count", [
    (2.5, 0, 5), (-2.5, 0, 5), (2.0, 0, 4), (0.125, 2, 25), (0.0625, 3, 125), (0.25, 1, 5), (1.5, 1, 30), (0.0, 2, 0),
    (2.25, 0, None), (1.005, 2, None), (0.1, 0, None), (0.125, 1, None), (2.0 ** 51 + 0.5, 0, 2 ** 52 + 1),
    (2.0 ** 60, 0, None),
])
def test_halves_are_counted_on_the_floats_exact_binary_value(number, decimals, count):
    """1.005 is really 1.00499999999999989...: not a whole number of half-hundredths."""
    assert formats.halves(number, decimals) == count


@pytest.mark.parametrize("number, decimals, text", [
    (2.5, 0, "3"), (-2.5, 0, "-3"), (0.5, 0, "1"), (-0.5, 0, "-1"), (0.125, 2, "0.13"), (-0.125, 2, "-0.13"),
    (0.0625, 3, "0.063"), (0.25, 1, "0.3"), (1234.5, 0, "1235"), (1.005, 2, "1.00"), (2.675, 2, "2.67"),
    (1.25, 1, "1.3"), (7, 2, "7.00"), (0.3, 3, "0.300"), (2.0 ** 53 + 0.0, 1, "9007199254740992.0"),
    (2.0 ** 51 + 0.5, 0, "2251799813685249"), (2.0 ** 50 + 0.75, 1, "1125899906842624.8"),
    (-(2.0 ** 49 + 0.375), 2, "-562949953421312.38"),
])
def test_fixed_rounds_exact_halves_away_from_zero_as_looker_does(number, decimals, text):
    assert formats.fixed(number, decimals) == text


@pytest.mark.parametrize("value, spec_, text", [
    (None, formats.MEASURE, "∅"),
    (True, formats.MEASURE, "True"),
    ("Texas", spec(prefix="$", decimals=2), "Texas"),
    (1234567, None, "1,234,567"),
    (1234567, formats.PLAIN, "1234567"),
    (3.0, formats.MEASURE, "3"),
    (2.5, formats.MEASURE, "2.5"),
    (0.1 + 0.2, formats.MEASURE, "0.30000000000000004"),  # every digit, as the grid's String(number)
    (-1234.5, formats.MEASURE, "-1,234.5"),
    (1e-7, formats.MEASURE, "0"),
    (1.5e-5, formats.MEASURE, "0.000015"),
    (1e21, formats.MEASURE, "1,000,000,000,000,000,000,000"),
    (0.256, spec(suffix="%", decimals=1, percent=True), "25.6%"),
    (0.5, spec(suffix="%", percent=True), "50%"),
    (-1234.5, spec(prefix="$", decimals=2), "-$1,234.50"),
    (-0.001, spec(decimals=2), "0.00"),
    (-0.0, formats.MEASURE, "0"),
    (1234.6, spec(suffix=" items", decimals=0), "1,235 items"),
    (1234.5, spec(decimals=0, group=False), "1235"),
    (12, spec(prefix="#"), "#12"),
    (5, {"decimals": 1}, "5.0"),
])
def test_a_cell_shows_its_number_by_the_spec(value, spec_, text):
    assert formats.format_value(value, spec_) == text


def test_a_large_count_is_shown_whole_and_grouped():
    assert formats.format_value(2 ** 31 + 5, formats.MEASURE) == "2,147,483,653"
    assert formats.format_value(1733400000123, formats.PLAIN) == "1733400000123"
