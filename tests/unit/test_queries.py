"""app/queries.py: query bodies in Looker's order, shared links, header sorts, row limits, drills and Looker links."""

from __future__ import annotations

import json

import pytest

from looker_pkce.core import ordered, queries

META = {"u.state": {"measure": False}, "u.city": {"measure": False},
        "o.count": {"measure": True, "drill": ["o.id", "u.state"]}, "o.total": {"measure": True, "drill": ["o.sku"]},
        "o.none": {"measure": True}}


def test_a_body_has_every_key_in_lookers_order_and_leaves_blank_filters_out():
    made = queries.body("m", "v", ("a", "b"), [("f1", "x"), ("f2", ""), ("", "y"), ("f3", "0")], ("b desc",), 10,
                        ("p",), "looker_area", True, "normal")
    assert json.dumps(made) == json.dumps({
        "model": "m", "view": "v", "fields": ["a", "b"], "pivots": ["p"], "filters": {"f1": "x", "f3": "0"},
        "sorts": ["b desc"], "limit": "10", "total": True, "vis_config": {"type": "looker_area", "stacking": "normal"}})
    plain = queries.body("m", "v", ["a"], limit=None)
    assert list(plain) == ["model", "view", "fields", "filters", "sorts", "limit"]
    assert plain["limit"] == "500" and plain["sorts"] == [] and not plain["filters"]
    assert json.dumps(queries.body("m", "v", [], vis_type="looker_grid")["vis_config"]) == '{"type": "looker_grid"}'


def test_a_saved_query_keeps_its_own_settings_unless_filters_are_given():
    query = {"model": "m", "view": "v", "fields": None, "filters": {"a": "1"}, "sorts": None, "limit": None,
             "pivots": ["p"], "total": 1, "vis_config": {"type": "looker_line", "stacking": "normal"}}
    made = queries.saved_body(query)
    assert made["fields"] == [] and made["sorts"] == [] and made["limit"] == "500" and made["pivots"] == ["p"]
    assert made["total"] is True and made["vis_config"]["stacking"] == "normal"
    assert ordered.pairs(made["filters"]) == [("a", "1")]
    assert ordered.pairs(queries.saved_body(query, [("b", "2")])["filters"]) == [("b", "2")]
    bare = queries.saved_body({"model": "m", "view": "v", "vis_config": "looker_grid", "limit": "7"})
    assert "vis_config" not in bare and "total" not in bare and bare["limit"] == "7"


def test_a_tile_without_a_query_or_listeners_has_no_filters_and_blank_dashboard_values_change_nothing():
    assert queries.tile_filters({}, [("State", "Texas")]) == []
    element = {"query": {"filters": {"a.state": "Ohio"}},
               "result_maker": {"filterables": [{"listen": [{"dashboard_filter_name": "State", "field": "a.state"}]}]}}
    assert queries.tile_filters(element, [("State", "")]) == [("a.state", "Ohio")]
    assert queries.tile_filters(element, [("Other", "x")]) == [("a.state", "Ohio")]
    element["result_maker"]["filterables"].append({"listen": None})
    assert queries.tile_filters(element, [("State", "Utah")]) == [("a.state", "Utah")]


def link(data):
    return "q=" + queries.quote(json.dumps(data))


def test_a_shared_link_is_the_explore_route_with_the_body_as_escaped_json():
    made = queries.body("m", "v", ["a b"])
    assert queries.share_hash(made) == "#/explore?q=" + queries.quote(json.dumps(made))
    assert queries.from_hash("x=1") is None and queries.from_hash("q=") is None


@pytest.mark.parametrize("data,message", [
    ({"model": "", "view": "v"}, "model must be a name"),
    ({"model": "m", "view": 3}, "view must be a name"),
    ({"model": "m", "view": "v", "filters": {"a": 1}}, 'filters must be an object of field: expression, not {"a": 1}'),
    ({"model": "m", "view": "v", "vis_config": {"type": 3}}, "vis_config must be an object"),
    ({"model": "m", "view": "v", "vis_config": {"type": "x", "stacking": 1}}, "vis_config must be an object"),
    ({"model": "m", "view": "v", "limit": "0"}, 'limit must be a positive whole number, not "0"'),
    ({"model": "m", "view": "v", "limit": "ten"}, "limit must be a positive whole number"),
    ({"model": "m", "view": "v", "fields": ["a", 1]}, 'fields must be a list of field names, not ["a", 1]'),
    ({"model": "m", "view": "v", "sorts": "a"}, "sorts must be a list of field names"),
    ({"model": "m", "view": "v", "pivots": [None]}, "pivots must be a list of field names"),
    ([1], "the query must be a JSON object"),
])
def test_a_broken_shared_link_names_the_part_that_is_wrong(data, message):
    with pytest.raises(queries.BadLink) as caught:
        queries.from_hash(link(data))
    assert message in str(caught.value)


def test_a_shared_link_that_is_not_json_says_so():
    with pytest.raises(queries.BadLink, match="the query is not valid JSON"):
        queries.from_hash("q=%7Bnope")


def test_a_shared_link_fills_in_what_it_leaves_out_and_keeps_only_a_true_total():
    made = queries.from_hash(link({"model": "m", "view": "v", "total": "yes", "limit": 20,
                                   "vis_config": {"type": "looker_bar"}}))
    assert json.dumps(made) == json.dumps({"model": "m", "view": "v", "fields": [], "filters": {}, "sorts": [],
                                           "limit": "20", "vis_config": {"type": "looker_bar"}})


def test_a_header_click_sorts_numbers_descending_first_and_other_fields_ascending_first():
    assert queries.toggled_sort([], "a", False) == ["a"]
    assert queries.toggled_sort(["a"], "a", False) == ["a desc"]
    assert queries.toggled_sort(["a desc"], "a", False) == ["a"]
    assert queries.toggled_sort(["b desc", "a"], "a", True) == ["a desc"]


def test_the_row_limit_is_reached_at_the_limit_and_the_default_is_500():
    assert queries.limit_reached(500, {}) and not queries.limit_reached(499, {})
    assert queries.limit_reached(3, {"limit": "3"}) and not queries.limit_reached(2, {"limit": 3})
    assert not queries.limit_reached(10**6, {"limit": "-1"})


@pytest.mark.parametrize("value,literal", [
    (None, "NULL"), ("Ohio", "Ohio"), (7, "7"), ("a,b", "a^,b"), ("a^b", "a^^b"),
    ('say "hi"', 'say ^"hi^"'), ('^,"', '^^^,^"'),
])
def test_a_drill_filter_matches_exactly_the_clicked_value_with_carets_commas_and_quotes_escaped(value, literal):
    assert queries.filter_literal(value) == literal


def test_a_drill_asks_for_the_clicked_measures_drill_fields_filtered_to_the_rows_dimensions():
    made = queries.body("m", "o", ["u.state", "u.city", "o.none", "o.count", "o.total"], [("u.city", "x")],
                        ["o.count desc"], "5", vis_type="looker_line")
    row = {"u.state": 'The "Lone Star"', "u.city": None, "o.count": 3, "o.total": 1.0}
    drill = queries.drill_body(made, row, META, "o.total")
    assert json.dumps(drill) == json.dumps({
        "model": "m", "view": "o", "fields": ["o.sku"],
        "filters": {"u.state": 'The ^"Lone Star^"', "u.city": "NULL"}, "sorts": [], "limit": "500",
        "vis_config": {"type": "looker_grid"}})
    assert queries.drill_body(made, row, META, "u.state")["fields"] == ["o.id", "u.state"]  # the first with drills
    assert queries.drill_body(made, row, META)["fields"] == ["o.id", "u.state"]
    pivoted = queries.drill_body(made, {"u.state": {"a": 1}, "o.count": 1}, META)
    assert ordered.pairs(pivoted["filters"]) == [("u.city", "x")]  # a pivoted cell, a missing one: not filters


def test_the_looker_link_carries_every_part_of_the_query():
    made = queries.body("my model", "o", ["a", "b"], [("a", "x,y")], ["b desc"], "9", ["p"], "looker_bar")
    assert queries.looker_url("https://x.looker.com/", made) == (
        "https://x.looker.com/explore/my%20model/o?fields=a%2Cb&f%5Ba%5D=x%2Cy&pivots=p&sorts=b%20desc&limit=9"
        "&vis=%7B%22type%22%3A%20%22looker_bar%22%7D")
    bare = {"model": "m", "view": "v", "fields": ["a"]}
    assert queries.looker_url("https://x", bare) == "https://x/explore/m/v?fields=a&limit=500"


def test_a_drill_from_a_dimension_uses_the_first_measures_drill_even_when_the_dimension_has_drill_fields():
    meta = dict(META, **{"u.state": {"measure": False, "drill": ["u.city"]}})
    made = queries.body("m", "o", ["u.state", "o.count"])
    assert queries.drill_body(made, {"u.state": "Ohio"}, meta, "u.state")["fields"] == ["o.id", "u.state"]


def test_the_looker_link_joins_several_pivots_and_sorts_with_commas():
    made = queries.body("m", "v", ["a"], pivots=["p", "q"], sorts=["a desc", "b"])
    assert "&pivots=p%2Cq&sorts=a%20desc%2Cb&" in queries.looker_url("https://x", made)
