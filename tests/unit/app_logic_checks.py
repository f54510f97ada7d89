"""Checks of the pure logic: the app's (py/app: look_rules, snippets, text, traces) and the library's that the
app and looker_pkce.browser share (py/looker_pkce/core: access, ordered, formats, series, queries, layout, tiles,
wording, overrides).

Plain functions with asserts and no test-framework imports, so the same file runs on CPython
(tests/unit/test_app_logic.py collects each check) and on MicroPython (the same test file runs them all
in the browser's MicroPython build under Node), where dict order is not insertion order.
"""

import json

from app import look_rules, snippets, text, traces
from looker_pkce.core import access, formats, layout, ordered, overrides, queries, series, tiles, wording
from looker_pkce.core.compat import parse_query
from looker_pkce.core.messages import Response

KEYS = ["zeta", "alpha", "mid", "beta", "omega", "gamma", "delta", "epsilon", "eta", "theta"]


def check_ordered_json_keeps_the_texts_key_order():
    text = "{" + ", ".join('"' + k + '": ' + str(i) for i, k in enumerate(KEYS)) + "}"
    data = ordered.loads(text)
    assert list(data) == KEYS
    assert [k for k, _ in ordered.pairs(data)] == KEYS
    assert json.dumps(data) == json.dumps(ordered.loads(json.dumps(data)))
    assert json.dumps(data).index('"zeta"') < json.dumps(data).index('"alpha"')


def check_a_json_answer_decoded_ordered_keeps_lookers_key_order():
    text = "{" + ", ".join('"' + k + '": ' + str(i) for i, k in enumerate(KEYS)) + "}"
    answer = Response(200, {"Content-Type": "application/json; charset=utf-8"}, text)
    assert list(answer.decoded(ordered=True)) == KEYS  # what Client.request(..., ordered=True) returns
    assert list(answer.json(ordered=True)) == KEYS


def check_the_tagged_form_the_page_writes_reads_in_the_texts_order():
    text = "{" + ", ".join('"' + k + '": ' + str(i) for i, k in enumerate(KEYS)) + ', "list": [1, {}, []], "f": 1.0}'
    tagged = "[0," + ",".join('"' + k + '",' + str(i) for i, k in enumerate(KEYS)) + ',"list",[1,1,[0],[1]],"f",1.0]'
    data = ordered.from_tagged(json.loads(tagged))
    assert list(data) == KEYS + ["list", "f"] and json.dumps(data) == json.dumps(ordered.loads(text))
    first, empty, nothing = data["list"]
    assert first == 1 and nothing == [] and isinstance(data["f"], float)
    assert isinstance(empty, dict) and not empty  # MicroPython: OrderedDict() != {}


def check_ordered_json_values():
    data = ordered.loads(' {"a": [1, -2.5, 3e2, true, false, null, "x\\"y\\\\", "é", {}], "b": {"c": []}} ')
    assert data["a"][:8] == [1, -2.5, 300.0, True, False, None, 'x"y\\', "é"]
    assert isinstance(data["a"][8], dict) and not data["a"][8]  # MicroPython: OrderedDict() != {}
    assert list(data["b"]) == ["c"]
    for bad in ['{"a": 1', '{"a" 1}', '[1,]x', '"open', "{1: 2}", ""]:
        try:
            ordered.loads(bad)
        except ValueError:
            continue
        raise AssertionError("accepted " + bad)


def check_body_keeps_fields_filters_and_keys_in_order():
    filters = [(k + ".f", "v" + k) for k in KEYS]
    made = queries.body("thelook", "order_items", ["users.state", "order_items.count", "order_items.total_sale_price"],
                        filters, ["order_items.count desc"], "50", ["products.department"], "looker_column")
    assert list(made) == ["model", "view", "fields", "pivots", "filters", "sorts", "limit", "vis_config"]
    assert made["fields"] == ["users.state", "order_items.count", "order_items.total_sale_price"]
    assert [k for k, _ in ordered.pairs(made["filters"])] == [k + ".f" for k in KEYS]
    text = json.dumps(made)
    assert text.index('"zeta.f"') < text.index('"alpha.f"') < text.index('"theta.f"')


def check_saved_body_and_tile_filters_keep_lookers_order():
    query = ordered.loads('{"model": "m", "view": "v", "fields": ["a", "b"], "filters": {"z.date": "7 days",'
                          ' "a.state": "Ohio"}, "sorts": ["b desc"], "limit": "10", "vis_config": {"type": "looker_bar"}}')
    made = queries.saved_body(query)
    assert [k for k, _ in ordered.pairs(made["filters"])] == ["z.date", "a.state"]
    assert made["vis_config"]["type"] == "looker_bar" and made["limit"] == "10"
    element = {"query": query, "result_maker": {"filterables": [{"listen": [
        {"dashboard_filter_name": "State", "field": "a.state"}, {"dashboard_filter_name": "Size", "field": "q.size"}]}]}}
    assert queries.tile_filters(element, [("State", "Texas"), ("Size", "")]) == [("z.date", "7 days"), ("a.state", "Texas")]
    assert queries.tile_filters(element, [("Size", "L")]) == [("z.date", "7 days"), ("a.state", "Ohio"), ("q.size", "L")]


def check_shared_links_round_trip_and_bad_ones_say_why():
    made = queries.body("thelook", "order_items", ["b.x", "a.y"], [("z.q", "1"), ("a.q", "2")], vis_type="looker_line")
    back = queries.from_hash(queries.share_hash(made)[len("#/explore?"):])
    assert json.dumps(back) == json.dumps(made)
    assert queries.from_hash("") is None
    totals = queries.body("m", "v", ["a.x", "a.n"], sorts=["a.n desc"], vis_type="looker_grid", total=True)
    assert list(totals)[-2:] == ["total", "vis_config"]
    assert queries.from_hash(queries.share_hash(totals)[len("#/explore?"):])["total"] is True
    for broken, part in [('{"model": "m", "view": "v", "vis_config": "x"}', "vis_config"),
                         ('{"model": "m", "view": "v", "filters": ["x"]}', "filters"),
                         ('{"model": "m", "view": "v", "fields": "x"}', "fields"),
                         ('{"model": "m", "view": "v", "limit": "-3"}', "limit"),
                         ('{"view": "v"}', "model"), ("[1]", "object"), ("{oops", "JSON")]:
        try:
            queries.from_hash("q=" + queries.quote(broken))
        except queries.BadLink as exc:
            assert part in str(exc), (broken, str(exc))
            continue
        raise AssertionError("accepted " + broken)


def check_header_sort_and_row_limit():
    assert queries.toggled_sort([], "a.count", True) == ["a.count desc"]
    assert queries.toggled_sort(["a.count desc"], "a.count", True) == ["a.count"]
    assert queries.toggled_sort(["a.count"], "a.count", True) == ["a.count desc"]
    assert queries.toggled_sort(["a.count"], "a.name", False) == ["a.name"]
    assert queries.limit_reached(500, {"limit": "500"}) and not queries.limit_reached(499, {"limit": "500"})


def check_value_formats():
    usd = formats.spec_for({"value_format_name": "usd", "category": "measure"})
    assert formats.format_value(433509.3, usd) == "$433,509.30"
    assert formats.format_value(-1234.5, usd) == "-$1,234.50"
    assert formats.format_value(82622, formats.spec_for({"category": "dimension", "type": "number"})) == "82622"
    assert formats.format_value(16303, formats.spec_for({"category": "measure"})) == "16,303"
    assert formats.format_value(0.256, formats.spec_for({"value_format_name": "percent_1"})) == "25.6%"
    assert formats.format_value(38.456, formats.spec_for({"value_format": "0.0"})) == "38.5"
    assert formats.format_value(1234.6, formats.parse('#,##0" items"')) == "1,235 items"
    assert formats.format_value(None, usd) == "∅" and formats.format_value("Texas", usd) == "Texas"
    assert formats.format_value(2.5, None) == "2.5" and formats.format_value(-0.001, formats.parse("0.00")) == "0.00"
    # exact halves away from zero, as Looker and the grid's JavaScript do; 1.005 is really 1.00499...
    assert formats.format_value(2.5, formats.parse("0")) == "3"
    assert formats.format_value(-1234.5, formats.parse("#,##0")) == "-1,235"
    assert formats.format_value(-0.125, formats.parse("0.00")) == "-0.13"
    assert formats.format_value(1.005, formats.parse("0.00")) == "1.00"


META = {
    "u.state": {"measure": False, "numeric": False, "label": "State", "full": "Users State", "spec": formats.PLAIN},
    "u.gender": {"measure": False, "numeric": False, "label": "Gender", "full": "Users Gender", "spec": formats.PLAIN},
    "u.age": {"measure": False, "numeric": True, "label": "Age", "full": "Users Age", "spec": formats.PLAIN},
    "o.count": {"measure": True, "numeric": True, "label": "Count", "full": "Order Items Count",
                "spec": formats.MEASURE},
    "u.count": {"measure": True, "numeric": True, "label": "Count", "full": "Users Count", "spec": formats.MEASURE},
    "o.total": {"measure": True, "numeric": True, "label": "Total Sale Price", "full": "Order Items Total Sale Price",
                "spec": formats.parse("$#,##0.00")},
}


def check_pivot_gives_one_series_per_value_over_the_first_unpivoted_dimension():
    rows = [{"u.state": "Ohio", "o.count": {"Women": 1, "Men": 2}}, {"u.state": "Utah", "o.count": {"Men": 3}}]
    config, note = series.chart_config("looker_column", rows, ["u.gender", "u.state", "o.count"], ["u.gender"], META)
    assert note is None
    assert config["data"]["labels"] == ["Ohio", "Utah"]
    assert [(d["label"], d["data"]) for d in config["data"]["datasets"]] == [("Men", [2, 3]), ("Women", [1, None])]


def check_several_dimensions_combine_and_same_named_measures_use_full_labels():
    rows = [{"u.state": "Ohio", "u.gender": "F", "o.count": 5, "u.count": 2}]
    config, _ = series.chart_config("looker_bar", rows, ["u.state", "u.gender", "o.count", "u.count"], [], META)
    assert config["data"]["labels"] == ["Ohio · F"]
    assert [d["label"] for d in config["data"]["datasets"]] == ["Order Items Count", "Users Count"]


def check_second_axis_when_scales_differ_tenfold_and_tooltips_are_formatted():
    rows = [{"u.state": "Ohio", "o.count": 50, "o.total": 433509.3}, {"u.state": "Utah", "o.count": 40, "o.total": 9.5}]
    config, _ = series.chart_config("looker_column", rows, ["u.state", "o.count", "o.total"], [], META)
    sets = config["data"]["datasets"]
    assert [d["yAxisID"] for d in sets] == ["y", "y1"] and "y1" in config["options"]["scales"]
    assert sets[1]["formatted"] == ["$433,509.30", "$9.50"]
    close = [{"u.state": "Ohio", "o.count": 50, "u.count": 20}]
    config, _ = series.chart_config("looker_line", close, ["u.state", "o.count", "u.count"], [], META)
    assert [d["yAxisID"] for d in config["data"]["datasets"]] == ["y", "y"]


def check_a_pivot_draws_grouped_bars_unless_the_vis_says_stacked():
    rows = [{"u.state": "Ohio", "o.count": {"2023": 5, "2024": 7}}, {"u.state": "Utah", "o.count": {"2023": 2}}]
    grouped, _ = series.chart_config("looker_column", rows, ["u.state", "u.gender", "o.count"], ["u.gender"], META)
    assert [s["stacked"] for s in grouped["options"]["scales"].values()] == [False, False]
    stacked, _ = series.chart_config("looker_column", rows, ["u.state", "u.gender", "o.count"], ["u.gender"], META,
                                     "normal")
    assert [s["stacked"] for s in stacked["options"]["scales"].values()] == [True, True]
    flat = [{"u.state": "Ohio", "o.count": 5}]
    unpivoted, _ = series.chart_config("looker_area", flat, ["u.state", "o.count"], [], META, "normal")
    assert unpivoted["options"]["scales"]["y"]["stacked"] is True  # stacking is the vis's, pivot or not
    made = queries.saved_body({"model": "m", "view": "v", "fields": ["a"], "vis_config": {"type": "looker_column",
                                                                                         "stacking": "normal"}})
    assert made["vis_config"]["stacking"] == "normal"
    assert queries.from_hash(queries.share_hash(made)[len("#/explore?"):])["vis_config"]["stacking"] == "normal"


def check_percent_stacking_draws_each_value_as_its_share_of_its_category():
    rows = [{"u.state": "Ohio", "o.count": {"2023": 1, "2024": 3}}, {"u.state": "Utah", "o.count": {"2023": 2}},
            {"u.state": "Iowa", "o.count": {"2023": 0, "2024": 0}}, {"u.state": "Kent", "o.count": {"2023": -1, "2024": 3}}]
    config, _ = series.chart_config("looker_column", rows, ["u.state", "u.gender", "o.count"], ["u.gender"], META,
                                    "percent")
    sets = config["data"]["datasets"]
    assert [d["data"] for d in sets] == [[25.0, 100.0, None, -25.0], [75.0, None, None, 75.0]]  # of the absolute sum
    assert [d["values"] for d in sets] == [[1, 2, 0, -1], [3, None, 0, 3]]  # the real values stay beside them
    assert sets[0]["formatted"] == ["25.0% (1)", "100.0% (2)", formats.NULL, "-25.0% (-1)"]  # tooltips: share (value)
    assert sets[1]["valueTexts"] == ["3", formats.NULL, "0", "3"]
    scale = config["options"]["scales"]["y"]
    assert scale["stacked"] and scale["max"] == 100 and "min" not in scale  # a negative share goes below 0
    assert formats.format_value(40, scale["format"]) == "40%" and formats.format_value(40, scale["narrow"]["format"]) == "40%"
    small = [{"u.state": "Ohio", "o.count": {"2023": 0, "2024": 3}}, {"u.state": "Utah", "o.count": {"2023": 1, "2024": 199}}]
    plain, _ = series.chart_config("looker_line", small, ["u.state", "u.gender", "o.count"], ["u.gender"], META, "percent")
    assert plain["data"]["datasets"][0]["data"] == [0.0, 0.5]  # lines and areas stack to 100 % too
    assert plain["options"]["scales"]["y"]["min"] == 0 and plain["options"]["scales"]["y"]["max"] == 100
    # measures a hundredfold apart share the one axis to 100 %: shares have no unit
    two = [{"u.state": "Ohio", "o.count": 50, "o.total": 9000.0}]
    config, _ = series.chart_config("looker_bar", two, ["u.state", "o.count", "o.total"], [], META, "percent")
    assert [d["xAxisID"] for d in config["data"]["datasets"]] == ["x", "x"] and "x1" not in config["options"]["scales"]
    assert [round(d["data"][0], 3) for d in config["data"]["datasets"]] == [0.552, 99.448]
    assert config["data"]["datasets"][1]["formatted"] == ["99.4% ($9,000.00)"]
    grouped, _ = series.chart_config("looker_column", two, ["u.state", "o.count", "o.total"], [], META, "normal")
    assert grouped["data"]["datasets"][0]["data"] == [50] and "values" not in grouped["data"]["datasets"][0]
    lines, _ = series.chart_config("looker_line", two, ["u.state", "o.count", "o.total"], [], META)
    assert [d["yAxisID"] for d in lines["data"]["datasets"]] == ["y", "y1"]  # unstacked lines keep the second axis
    pie, _ = series.chart_config("looker_pie", two, ["u.state", "o.count"], [], META, "percent")
    assert pie["data"]["datasets"][0]["data"] == [50]  # a pie is shares already: stacking is not its


def check_a_percent_stacked_charts_summary_says_the_real_values_and_their_shares():
    rows = [{"u.state": "Ohio", "o.count": {"2023": 10, "2024": 30}}, {"u.state": "Utah", "o.count": {"2023": 2}},
            {"u.state": "Iowa", "o.count": {"2023": 0}}]
    config, _ = series.chart_config("looker_column", rows, ["u.state", "u.gender", "o.count"], ["u.gender"], META,
                                    "percent")
    assert series.chart_summary("looker_column", config) == (  # highest by value, though Utah's share is larger
        "Column chart stacked to 100% per category, 3 categories. 2023: highest 10 (Ohio, 25.0%), lowest 0 (Iowa)."
        " 2024: highest 30 (Ohio, 75.0%), lowest 30 (Ohio, 75.0%).")  # Iowa's total is 0: no share to say


def check_compact_numbers_write_thousands_and_up_by_their_unit():
    money = formats.compact(formats.parse("$#,##0.00"))
    assert [formats.format_value(v, money) for v in (2_000_000, 2_500_000.0, 400_000, 0, 512.5, -1_250)] == [
        "$2M", "$2.5M", "$400K", "$0", "$512.5", "-$1.25K"]
    assert formats.format_value(3e9, formats.compact(formats.MEASURE)) == "3B"
    assert formats.format_value(1000, formats.compact(formats.MEASURE)) == "1K"  # a unit from its first whole one
    assert formats.format_value(0.25, formats.compact(formats.parse("0.0%"))) == "25%"
    assert formats.format_value(2_000_000, formats.parse("$#,##0.00")) == "$2,000,000.00"  # the spec itself is kept


def check_a_second_axis_is_per_measure_never_per_pivot_value():
    # one measure whose pivot values differ a hundredfold: one axis
    rows = [{"u.state": "Ohio", "o.count": {"2022": 3, "2023": 40, "2024": 900}}]
    config, _ = series.chart_config("looker_column", rows, ["u.state", "u.gender", "o.count"], ["u.gender"], META)
    assert [d["yAxisID"] for d in config["data"]["datasets"]] == ["y", "y", "y"]
    assert "y1" not in config["options"]["scales"]
    # two measures, tenfold apart: each measure's pivot values share that measure's axis
    rows = [{"u.state": "Ohio", "o.count": {"2023": 5, "2024": 90}, "o.total": {"2023": 4000.0, "2024": 2.0}}]
    config, _ = series.chart_config("looker_column", rows, ["u.state", "u.gender", "o.count", "o.total"],
                                    ["u.gender"], META)
    assert [(d["label"], d["yAxisID"]) for d in config["data"]["datasets"]] == [
        ("Count · 2023", "y"), ("Count · 2024", "y"), ("Total Sale Price · 2023", "y1"),
        ("Total Sale Price · 2024", "y1")]


def check_single_value_is_the_first_measure_with_a_comparison():
    rows = [{"u.gender": "F", "o.total": 110.0, "o.count": 100}]
    shown = series.single_value(rows, ["u.gender", "o.total", "o.count"], [], META)
    assert shown["value"] == "$110.00" and shown["label"] == "Total Sale Price"
    assert shown["comparison"] == "+10.0% vs 100 Count"
    assert "comparison" not in series.single_value(rows, ["o.total"], [], META)


def check_scatter_only_for_numeric_pairs():
    rows = [{"u.state": "Ohio", "o.count": 3}]
    config, note = series.chart_config("looker_scatter", rows, ["u.state", "o.count"], [], META)
    assert config is None and "numeric" in note and "State" in note
    config, note = series.chart_config("looker_scatter", [{"u.age": 30, "o.count": 3}], ["u.age", "o.count"], [], META)
    assert note is None and config["data"]["datasets"][0]["data"] == [{"x": 30, "y": 3}]
    config, note = series.chart_config("looker_scatter", [{"u.age": 30, "u.state": "x"}], ["u.age", "u.state"], [], META)
    assert config is None and "fewer" in note
    assert series.chart_config("looker_grid", rows, ["u.state"], [], META) == (None, None)


def check_a_charts_summary_names_its_kind_size_and_each_series_extremes():
    rows = [{"u.state": "Ohio", "o.count": 50, "o.total": 433509.3}, {"u.state": "Utah", "o.count": 40, "o.total": 9.5},
            {"u.state": "Iowa", "o.count": 60, "o.total": None}]
    config, _ = series.chart_config("looker_column", rows, ["u.state", "o.count", "o.total"], [], META)
    assert series.chart_summary("looker_column", config) == (
        "Column chart, 3 categories. Count: highest 60 (Iowa), lowest 40 (Utah)."
        " Total Sale Price: highest $433,509.30 (Ohio), lowest $9.50 (Utah).")  # a missing value is skipped
    pivoted = [{"u.state": "Ohio", "o.count": {"W" + str(i): i for i in range(6)}}]
    config, _ = series.chart_config("looker_pie", pivoted, ["u.gender", "u.state", "o.count"], ["u.gender"], META)
    assert series.chart_summary("looker_pie", config).startswith("Pie chart, 1 category. W0: highest 0 (Ohio)")
    config, _ = series.chart_config("looker_line", pivoted, ["u.gender", "u.state", "o.count"], ["u.gender"], META)
    assert series.chart_summary("looker_line", config).endswith("W3: highest 3 (Ohio), lowest 3 (Ohio). And 2 more series.")
    config, _ = series.chart_config("looker_scatter", [{"u.age": 30, "o.count": 3}], ["u.age", "o.count"], [], META)
    assert series.chart_summary("looker_scatter", config) == "Scatter plot, 1 point: Count against Age."


def check_field_metadata_gives_kinds_labels_formats_and_drills():
    explore = {"fields": {"dimensions": [{"name": "o.id", "category": "dimension", "is_numeric": True,
                                          "label_short": "ID", "label": "Order Items ID"}],
                          "measures": [{"name": "o.total", "category": "measure", "value_format_name": "usd",
                                        "label_short": "Total", "drill_fields": ["o.id", "u.state"]}]}}
    meta = series.explore_meta(explore)
    assert meta["o.id"]["numeric"] and not meta["o.id"]["measure"] and meta["o.id"]["full"] == "Order Items ID"
    assert formats.format_value(82622, meta["o.id"]["spec"]) == "82622"
    assert meta["o.total"]["measure"] and meta["o.total"]["drill"] == ["o.id", "u.state"]
    assert formats.format_value(1234.5, meta["o.total"]["spec"]) == "$1,234.50"


def check_without_metadata_numbers_after_the_first_field_are_measures():
    row = {"u.state": "Ohio", "u.age": None, "o.total_sale_price": 3.5, "o.count": {"Men": None, "Women": 2}}
    meta = series.guessed_meta(["u.state", "u.age", "o.total_sale_price", "o.count"], row)
    assert [meta[f]["measure"] for f in ["u.state", "u.age", "o.total_sale_price", "o.count"]] == [
        False, False, True, True]
    assert meta["o.total_sale_price"]["label"] == "Total Sale Price" and meta["o.count"]["full"] == "O Count"
    assert series.guessed_meta(["u.id", "o.count"], {"u.id": 7, "o.count": 1})["u.id"]["measure"] is False
    # the old library rules labelled every bar "∅" when the pivot came first: now one series per pivot value
    rows = [{"u.state": "Ohio", "o.count": {"Women": 1, "Men": 2}}]
    config, _ = series.chart_config("looker_column", rows, ["u.gender", "u.state", "o.count"], ["u.gender"],
                                    series.guessed_meta(["u.gender", "u.state", "o.count"], rows[0]))
    assert config["data"]["labels"] == ["Ohio"] and [d["label"] for d in config["data"]["datasets"]] == ["Men", "Women"]


def check_grid_columns_keep_the_query_order_and_split_pivoted_measures():
    rows = [{"u.state": "Ohio", "o.count": {"Women": 1, "Men": 2}, "o.total": {"Men": 3.0}},
            {"u.state": "Utah", "o.count": {"Kids": 1}, "o.total": {"Kids": 1.0}}]
    made = series.columns(["o.count", "u.gender", "u.state", "o.total"], ["u.gender"], rows, META, ["u.state desc"])
    assert [(c["key"], c.get("pivot"), c["label"]) for c in made] == [
        ("o.count", "Kids", "Count · Kids"), ("o.count", "Men", "Count · Men"), ("o.count", "Women", "Count · Women"),
        ("u.state", None, "State"), ("o.total", "Kids", "Total Sale Price · Kids"),
        ("o.total", "Men", "Total Sale Price · Men")]
    assert [c.get("sorted") for c in made] == [None, None, None, "descending", None, None]
    assert made[4]["format"]["prefix"] == "$" and made[4]["numeric"] and not made[3]["numeric"]
    plain = series.columns(["u.state", "o.count"], [], [], META, ["o.count"])
    assert [(c["key"], c.get("sorted")) for c in plain] == [("u.state", None), ("o.count", "ascending")]


def check_layout_places_tiles_on_lookers_grid_in_reading_order():
    board = {"dashboard_elements": [{"id": "1"}, {"id": "2"}, {"id": "3"}, {"id": "4"}],
             "dashboard_layouts": [{"active": True, "dashboard_layout_components": [
                 {"dashboard_element_id": "1", "row": 6, "column": 0, "width": 24, "height": 2},
                 {"dashboard_element_id": "2", "row": 0, "column": 12, "width": 12, "height": 6},
                 {"dashboard_element_id": "3", "row": 0, "column": 0, "width": 12, "height": 6}]}]}
    placed = layout.placements(board)
    assert [e["id"] for e, _ in placed] == ["3", "2", "1", "4"]
    assert placed[1][1] == {"column": 12, "row": 0, "width": 12, "height": 6}
    assert placed[3][1]["row"] == 8  # unplaced tiles flow below the layout
    crowded = {"dashboard_elements": [{"id": "a"}, {"id": "b"}], "dashboard_layouts": [
        {"active": True, "dashboard_layout_components": [
            {"dashboard_element_id": "a", "row": 12, "column": 8, "width": 8, "height": 6},
            {"dashboard_element_id": "b", "row": 12, "column": 0, "width": 24, "height": 2}]}]}
    settled = layout.placements(crowded)
    assert [(e["id"], p["row"]) for e, p in settled] == [("b", 12), ("a", 14)]  # overlap pushed down, never lost
    assert layout.grid_style(placed[1][1]) == [("--col", "13"), ("--row", "1"), ("--w", "12"), ("--h", "6")]


def check_drill_and_open_in_looker():
    meta = {"u.state": {"measure": False}, "o.count": {"measure": True, "drill": ["o.id", "u.state"]},
            "o.total": {"measure": True, "drill": []}}
    made = queries.body("m", "o", ["u.state", "o.total", "o.count"], [("z.date", "7 days"), ("u.state", "Ohio,Utah")])
    drill = queries.drill_body(made, {"u.state": "Ohio, the ^state", "o.count": 3}, meta, "o.total")
    assert drill["fields"] == ["o.id", "u.state"]
    assert ordered.pairs(drill["filters"]) == [("z.date", "7 days"), ("u.state", "Ohio^, the ^^state")]
    assert queries.drill_body(queries.body("m", "o", ["u.state", "o.total"]), {}, meta) is None
    url = queries.looker_url("https://x.looker.com/", made)
    assert url.startswith("https://x.looker.com/explore/m/o?fields=u.state%2Co.total%2Co.count&f%5Bz.date%5D=7%20days")


def check_features_follow_the_persons_looker_permissions():
    viewer = access.permissions([{"permission_set": {"permissions": ["access_data", "see_looks"]}}])
    analyst = access.permissions([{"permission_set": {"permissions": ["access_data"]}},
                                  {"permission_set": {"permissions": ["explore", "save_content"]}}])
    admin = access.permissions([{"permission_set": {"all_access": True, "permissions": []}}])
    assert [access.may(viewer, f) for f in ("explore", "save")] == [False, False]
    assert [access.may(analyst, f) for f in ("explore", "save")] == [True, True]
    assert access.may(admin, "save") and access.may(None, "explore")  # unknown: Looker decides
    assert not access.may(set(), "explore") and access.permissions(None) == set()


def check_dashboard_and_look_filters_round_trip_through_the_address():
    filters = [{"name": "Date", "default_value": "30 days"}, {"name": "State", "default_value": ""}]
    assert tiles.filter_values(filters, {}) == [("Date", "30 days"), ("State", "")]
    values = tiles.filter_values(filters, {"State": "Texas, Ohio", "refresh": "60"})
    assert values == [("Date", "30 days"), ("State", "Texas, Ohio")]
    defaults = [(f["name"], f["default_value"]) for f in filters]
    link = tiles.address("#/dashboard/1", defaults, values, "60")
    assert link == "#/dashboard/1?State=Texas%2C%20Ohio&refresh=60"
    assert tiles.filter_values(filters, parse_query(link.split("?")[1])) == values
    cleared = tiles.address("#/dashboard/1", defaults, [("Date", ""), ("State", "")])
    assert cleared == "#/dashboard/1?Date=" and tiles.filter_values(filters, {"Date": ""})[0] == ("Date", "")
    assert tiles.address("#/dashboard/1", defaults, tiles.filter_values(filters, {}), "0") == "#/dashboard/1"


def check_a_looks_address_gives_its_filters_in_field_order_whatever_the_dicts_order():
    link = "f[zeta.f]=1&refresh=60&f[alpha.f]=a%20b&f[mid.f]=&users.state=x"
    assert look_rules.link_values(parse_query(link)) == [("alpha.f", "a b"), ("mid.f", ""), ("zeta.f", "1")]


def check_a_tile_runs_its_saved_query_until_its_filters_change():
    query = ordered.loads('{"id": "7", "model": "m", "view": "v", "fields": ["a"], "filters": {"z": "1", "b": ""}}')
    assert tiles.saved_run(query, queries.saved_body(query)) == "queries/7/run"
    assert tiles.saved_run(query, queries.saved_body(query, [("z", "1"), ("u.state", "Texas")])) is None
    assert tiles.saved_run(query, queries.saved_body(query, [("z", "2")])) is None


def check_refresh_has_a_floor_and_names_and_subtitles_read_well():
    assert tiles.refresh_choices("3")[1:] == ("0", "refresh must be at least 5 seconds, not 3; auto-refresh is off.")
    assert tiles.refresh_choices("5")[1] == "5" and tiles.refresh_choices("60")[0] == tiles.REFRESH_CHOICES
    assert "whole number" in tiles.refresh_choices("soon")[2]
    assert tiles.file_name("Revenue, last 30 days", "csv") == "revenue_last_30_days.csv"
    assert tiles.file_name("  ", "json") == "data.json"
    row = {"u.state": "Texas", "o.count": 22, "o.total": 6747.72, "o.pivoted": {"x": 1}}
    body = queries.body("m", "v", ["u.state", "o.count", "o.total", "o.pivoted"])
    assert tiles.drill_subtitle(body, row, META) == "State: Texas · Count: 22 · Total Sale Price: $6,747.72"


def check_errors_read_as_what_happened_and_name_the_blamed_filter():
    assert wording.explain("NotFound", 404, "Not found", [], "looks/99999") == (
        "Looker has no Look 99999, or it is not shared with you.", [])
    headline, details = wording.explain("ApiError", 422, "Validation Failed", [
        {"field": "filters", "message": "'blah' is not a date Looker understands"}], "queries/run/json")
    assert headline == "Looker could not do this: Validation Failed." and details == [
        "filters: 'blah' is not a date Looker understands"]
    assert wording.explain("Forbidden", 403, "Forbidden: no 'explore'")[1] == ["Forbidden: no 'explore'"]
    assert wording.explain("Forbidden", 403, "no 'explore'", [], "queries/run/json")[1] == [
        "no 'explore'", wording.NEEDED["queries/run/"]]  # an inline query: the permission Looker asks, what to do
    assert wording.explain("Forbidden", 403, "", [], "queries/7/run/json")[1] == []  # a saved query's refusal
    assert "failed with" not in headline and wording.thing("queries/run/json") == "this item"
    errors = [{"field": "filters", "message": "'blah' is not a date Looker understands"}]
    assert wording.bad_filters(errors, [("u.state", "Texas"), ("o.created_date", "blah")]) == ["o.created_date"]
    assert wording.bad_filters([{"field": "fields", "message": "'blah'"}], [("o.created_date", "blah")]) == []


OP = {"id": "update_look", "method": "patch", "path": "/looks/{look_id}",
      "params": [["look_id", "path", "string", True, "", ""], ["fields", "query", "string", False, "", ""],
                 ["limit", "query", "integer(int64)", False, "", ""], ["body", "body", "Look", True, "", "Look"]]}


def check_the_console_writes_the_same_call_as_curl_requests_sdk_and_python():
    inputs = {"look_id": "7", "fields": "id,title", "body": '{"title": "It\'s"}'}
    link = snippets.link_for("update_look", inputs)
    assert parse_query(link.split("?", 1)[1]) == inputs
    payload = ordered.loads('{"title": "It\'s", "folder_id": "2"}')
    made = {key: code for key, _, code in snippets.snippets_for("https://x:19999", OP, "/looks/7",
                                                                 {"fields": "id,title", "limit": "5"}, payload)}
    assert "curl -X PATCH 'https://x:19999/api/4.0/looks/7?fields=id%2Ctitle&limit=5'" in made["curl"]
    assert "-d '{\"title\": \"It'\\''s\", \"folder_id\": \"2\"}'" in made["curl"]  # shell-quoted
    assert 'requests.patch(\n    "https://x:19999/api/4.0/looks/7"' in made["requests"]
    assert "sdk.update_look(look_id=\"7\", fields=\"id,title\", limit=5, body={" in made["sdk"]
    assert made["python"].startswith("# This PATCH changes data in Looker.\nresult = await looker.patch(\"looks/7\"")
    assert snippets.sdk_arguments(OP, "/looks/a%20b", {}, None) == {"look_id": "a b"}
    assert snippets.typed("-3", "integer(int64)") == -3 and snippets.typed("true", "boolean") is True
    assert snippets.typed("x1", "integer") == "x1"


def check_pretty_json_keeps_the_datas_order_and_durations_read_in_seconds():
    data = ordered.loads('{"zeta": [1, {"b": null}], "alpha": {}}')
    assert text.pretty(data) == '{\n  "zeta": [\n    1,\n    {\n      "b": null\n    }\n  ],\n  "alpha": {}\n}'
    assert text.seconds(12345) == "12.3 s" and text.seconds(80) == "0.0 s"


def check_a_scratchpad_error_names_the_persons_line_not_a_traceback():
    namespace = {}
    exec(traces.wrap("x = 1\ny = {}\nz = y['missing']"), namespace)
    try:
        namespace[traces.ENTRY]().send(None)  # no await inside: the coroutine's first step raises
        raise AssertionError("did not raise")
    except KeyError as exc:
        described = traces.describe(exc, 3)
    assert described == {"type": "KeyError", "message": "no key 'missing' in that dict", "line": 3,
                         "looker": False}, described
    assert traces.wrap("a\tb").split("\n")[1] == "    a    b"


def check_method_search_ranks_the_exact_name_first_and_descriptions_read_as_text():
    methods = [{"id": i, "summary": s, "path": p} for i, s, p in (
        ("all_looks", "Get All Looks", "/looks"), ("look", "Get Look", "/looks/{look_id}"),
        ("run_look", "Run Look", "/looks/{look_id}/run/{result_format}"), ("look_search", "x", "/x"),
        ("me", "Current user", "/user"))]
    assert [op["id"] for op in snippets.ranked(methods, "Look")] == ["look", "look_search", "all_looks", "run_look"]
    blocks = text.markdown_blocks("### Get a **look**\n\nSee `Look` and [the docs](https://x/y).\nMore here.\n\n"
                                  "```\n{\"a\": 1}\n```\n- one *item*")
    assert blocks == [("heading", "Get a look"), ("paragraph", "See Look and the docs. More here."),
                      ("code", '{"a": 1}'), ("item", "one item")]
    assert text.markdown_blocks("snake_case_name stays") == [("paragraph", "snake_case_name stays")]


def check_a_pages_overrides_hide_retitle_order_and_style_tiles_by_id():
    placed = [({"id": "1", "title": "A"}, {"column": 0, "row": 0, "width": 12, "height": 6}),
              ({"id": "2", "title": "B"}, {"column": 12, "row": 0, "width": 12, "height": 6}),
              ({"id": "3", "title": "C"}, {"column": 0, "row": 6, "width": 24, "height": 4})]
    assert overrides.apply(placed, {}) == placed  # nothing said: Looker's places
    gap = [({"id": "1"}, {"column": 4, "row": 2, "width": 8, "height": 6})]
    assert overrides.apply(gap, {"titles": {"1": "T"}})[0][1] == gap[0][1]  # retitled only: the place stays
    retitled = overrides.apply(placed, {"titles": {"2": "Bee"}})
    assert [e["title"] for e, _ in retitled] == ["A", "Bee", "C"] and placed[1][0]["title"] == "B"
    hidden = overrides.apply(placed, {"hidden": ["1"]})
    assert [(e["id"], p["column"], p["row"]) for e, p in hidden] == [("2", 0, 0), ("3", 0, 6)]  # the rest moves up
    ordered_ = overrides.apply(placed, {"order": ["3", "2"]})
    assert [(e["id"], p["column"], p["row"], p["width"]) for e, p in ordered_] == [
        ("3", 0, 0, 24), ("2", 0, 4, 12), ("1", 12, 4, 12)]  # named first, the rest in Looker's order
    assert overrides.styles({"styles": {"2": {"--tile-accent": "#8a3b00", "--a": "1"}}}, "2") == [
        ("--a", "1"), ("--tile-accent", "#8a3b00")]
    assert overrides.styles({}, "2") == []


def check_a_pages_overrides_file_is_checked_and_each_problem_said():
    assert overrides.problems({"dashboard": "1", "order": ["2"], "hidden": ["3"], "titles": {"2": "T"},
                               "styles": {"2": {"--tile-accent": "#fff"}}}) == []
    assert overrides.problems({"look": "4"}) == []
    assert "neither" in overrides.problems({})[0] and "both" in overrides.problems({"dashboard": "1", "look": "2"})[0]
    assert "unknown key “query”" in overrides.problems({"dashboard": "1", "query": {}})[0]
    assert "list of tile ids" in overrides.problems({"dashboard": "1", "order": [2]})[0]
    assert "[titles]" in overrides.problems({"dashboard": "1", "titles": {"2": 3}})[0]
    assert "not a CSS custom property" in overrides.problems({"dashboard": "1", "styles": {"2": {"color": "red"}}})[0]
    bad = overrides.problems({"dashboard": "1", "styles": {"2": {"--x": "red; background: url(x)"}}})
    assert "letters, digits" in bad[0]
    assert "id as a string" in overrides.problems({"dashboard": 1})[0]


CHECKS = [value for name, value in sorted(globals().items()) if name.startswith("check_")]


def run_all():
    """Every check; returns the names that passed (an AssertionError stops at the first failure)."""
    passed = []
    for check in CHECKS:
        check()
        passed.append(check.__name__)
    return passed
