"""app/tiles.py: the auto-refresh menu, filter values in the address, which call runs a tile, file names, drill
subtitles."""

from __future__ import annotations

import pytest

from looker_pkce.core import formats, tiles


@pytest.mark.parametrize("wanted,value,problem", [
    ("", "0", None), (None, "0", None), ("60", "60", None), ("0060", "60", None), ("300", "300", None),
    ("5", "5", None), ("4", "0", "refresh must be at least 5 seconds, not 4; auto-refresh is off."),
    ("0", "0", "refresh must be a whole number of seconds, not “0”; auto-refresh is off."),
    ("-5", "0", "refresh must be a whole number of seconds, not “-5”; auto-refresh is off."),
    ("1.5", "0", "refresh must be a whole number of seconds, not “1.5”; auto-refresh is off."),
])
def test_the_refresh_setting_is_a_whole_number_of_seconds_from_five_up(wanted, value, problem):
    choices, chosen, said = tiles.refresh_choices(wanted)
    assert (chosen, said) == (value, problem)


def test_a_refresh_off_the_menu_joins_it_and_one_on_it_does_not():
    assert tiles.refresh_choices("60")[0] == tiles.REFRESH_CHOICES
    choices, value, _ = tiles.refresh_choices("0030")
    assert choices == tiles.REFRESH_CHOICES + [("30", "every 30 s")] and value == "30"
    assert tiles.REFRESH_CHOICES[0] == ("0", "Auto-refresh off") and len(tiles.REFRESH_CHOICES) == 4


def test_filter_values_follow_the_dashboards_order_and_an_empty_address_value_wins():
    filters = [{"name": "B", "default_value": "b0"}, {"name": "A", "default_value": None}, {"name": "C"}]
    assert tiles.filter_values(filters, {"A": "1", "B": ""}) == [("B", ""), ("A", "1"), ("C", "")]
    assert tiles.filter_values(None, {"A": "1"}) == []


def test_the_address_keeps_only_changed_values_escaped_then_the_refresh():
    defaults = [("State", None), ("Date", "7 days")]
    assert tiles.address("#/look/2", defaults, [("State", "a&b=c"), ("Date", "7 days")]) == "#/look/2?State=a%26b%3Dc"
    assert tiles.address("#/look/2", defaults, [("State", "")], "") == "#/look/2"
    assert tiles.address("#/look/2", defaults, [("Date", "1 day")], "300") == "#/look/2?Date=1%20day&refresh=300"
    assert tiles.address("#/look/2", [], [("New", "x")]) == "#/look/2?New=x"


def test_a_tile_runs_its_saved_query_only_with_an_id_and_the_same_filters():
    query = {"id": 7, "filters": {"a": "1", "b": ""}}
    assert tiles.saved_run(query, {"filters": {"a": "1"}}) == "queries/7/run"
    assert tiles.saved_run(query, {"filters": {"a": "1", "b": "2"}}) is None
    assert tiles.saved_run({"filters": {"a": "1"}}, {"filters": {"a": "1"}}) is None
    assert tiles.saved_run({"id": "", "filters": None}, {"filters": None}) is None
    assert tiles.saved_run({"id": "x"}, {}) == "queries/x/run"


@pytest.mark.parametrize("title,name", [
    ("Revenue, last 30 days", "revenue_last_30_days.csv"), ("Ümsatz 2024", "ümsatz_2024.csv"),
    ("--a--b--", "a_b.csv"), ("", "data.csv"), (None, "data.csv"), ("ABC", "abc.csv"),
])
def test_a_download_is_named_after_its_title_in_lower_case_words_joined_by_underscores(title, name):
    assert tiles.file_name(title, "csv") == name


def test_a_drill_subtitle_labels_and_formats_the_rows_plain_values_in_field_order():
    meta = {"a": {"label": "Alpha", "spec": formats.parse("$#,##0.00")}, "b": {}}
    body = {"fields": ["b", "missing", "a", "list", "none"]}
    row = {"a": 1234.5, "b": "x", "list": [1], "none": None}
    assert tiles.drill_subtitle(body, row, meta) == "b: x · Alpha: $1,234.50 · none: " + formats.NULL
    assert tiles.drill_subtitle({"fields": []}, {}, {}) == ""


def test_one_second_is_a_whole_number_under_the_floor_not_a_malformed_setting():
    assert tiles.refresh_choices("1")[2] == "refresh must be at least 5 seconds, not 1; auto-refresh is off."


def test_the_chart_library_is_needed_only_when_a_tile_draws_a_chart():
    def tile(vis):
        return {"type": "vis", "query": {"vis_config": vis}}

    assert tiles.draws_charts([tile({"type": "single_value"}), tile({"type": "looker_pie"})])
    assert tiles.draws_charts(iter([tile({"type": "looker_column"})]))
    assert not tiles.draws_charts([tile({"type": "single_value"}), tile({"type": "looker_grid"}), tile(None),
                                   tile("looker_column"), {"type": "text", "query": None}, {"type": "text"}])
    assert not tiles.draws_charts([])


def test_a_first_draw_calls_once_per_tile_with_a_query_and_once_per_explore():
    def tile(model, view, kind="vis"):
        return {"type": kind, "query": {"model": model, "view": view}}

    board = [tile("m", "a"), tile("m", "a"), tile("m", "b"), tile("n", "a"), {"type": "text", "body_text": "x"},
             tile("m", "c", kind="text"), {"type": "vis", "query": None}]
    assert tiles.first_draw_calls(board) == 4 + 3
    assert tiles.first_draw_calls(iter(board[:2])) == 2 + 1
    assert tiles.first_draw_calls([]) == 0
