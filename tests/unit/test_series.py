"""core/series.py: which axis a series goes on, when bars stack, the chart's shape and colours, single values,
scatter plots, grid columns and labels, beyond the shared checks in app_logic_checks.py."""

from __future__ import annotations

from app_logic_checks import META

from looker_pkce.core import formats, series

FIELDS = ["u.state", "o.count", "o.total"]


def axes(count, total):
    rows = [{"u.state": "Ohio", "o.count": count, "o.total": total}]
    config, _ = series.chart_config("looker_column", rows, FIELDS, [], META)
    return [d["yAxisID"] for d in config["data"]["datasets"]]


def test_a_second_axis_starts_just_past_ten_times_either_way():
    assert axes(50, 500) == ["y", "y"]  # exactly tenfold: one axis
    assert axes(50, 501) == ["y", "y1"]
    assert axes(50, 5) == ["y", "y"]
    assert axes(50, 4.9) == ["y", "y1"]
    assert axes(-50, 600) == ["y", "y1"]  # by size, whatever the sign
    assert axes(50, -600) == ["y", "y1"]
    assert axes(0, 600) == ["y", "y"]  # nothing to compare with
    assert axes(50, None) == ["y", "y"]


def test_a_measure_takes_its_largest_value_over_the_rows_to_choose_its_axis():
    rows = [{"u.state": "Ohio", "o.count": 50, "o.total": 5000}, {"u.state": "Utah", "o.count": 600, "o.total": 1}]
    config, _ = series.chart_config("looker_line", rows, FIELDS, [], META)
    assert [d["yAxisID"] for d in config["data"]["datasets"]] == ["y", "y"]  # 600 against 5000
    assert series.axes_for([("a", "f", [1, 2])]) == ["y"]
    assert series.axes_for([]) == []


def test_the_second_axis_is_on_the_right_with_its_own_format_and_no_grid():
    rows = [{"u.state": "Ohio", "o.count": 50, "o.total": 9000.0}]
    config, _ = series.chart_config("looker_column", rows, FIELDS, [], META)
    scales = config["options"]["scales"]
    assert scales["y"] == {"stacked": False, "position": "left", "format": formats.MEASURE,
                           "narrow": {"below": series.NARROW_CHART, "format": formats.compact(formats.MEASURE)}}
    assert scales["x"] == {"stacked": False}
    assert scales["y1"] == {"stacked": False, "position": "right", "grid": {"drawOnChartArea": False},
                            "format": META["o.total"]["spec"],
                            "narrow": {"below": series.NARROW_CHART, "format": formats.compact(META["o.total"]["spec"])}}
    bars, _ = series.chart_config("looker_bar", rows, FIELDS, [], META, "normal")
    scales = bars["options"]["scales"]
    assert bars["options"]["indexAxis"] == "y"
    assert [d["xAxisID"] for d in bars["data"]["datasets"]] == ["x", "x1"]
    assert scales["x"]["position"] == "bottom" and scales["x1"]["position"] == "top" and scales["y"] == {"stacked": True}


def test_bars_stack_without_a_pivot_when_the_vis_says_normal_or_percent_and_only_then():
    rows = [{"u.state": "Ohio", "o.count": 5, "u.count": 3}]
    fields = ["u.state", "o.count", "u.count"]
    for stacking, stacked in (("normal", True), ("percent", True), ("", False), ("other", False)):
        config, _ = series.chart_config("looker_column", rows, fields, [], META, stacking)
        assert [scale["stacked"] for scale in config["options"]["scales"].values()] == [stacked, stacked]


def test_every_dataset_carries_its_place_in_the_series_order_its_values_and_their_formatted_texts():
    rows = [{"u.state": "Ohio", "o.count": 5, "o.total": 7.5}, {"u.state": None, "o.count": None, "o.total": 2.0}]
    config, note = series.chart_config("looker_line", rows, FIELDS, [], META)
    assert note is None and config["type"] == "line"
    assert config["data"]["labels"] == ["Ohio", formats.NULL]
    first, second = config["data"]["datasets"]
    assert first == {"label": "Count", "data": [5, None], "series": 0, "formatted": ["5", formats.NULL], "yAxisID": "y"}
    assert second["series"] == 1 and "borderColor" not in second  # the page's --series-2 (assets/grid.js)
    assert config["options"]["responsive"] is True and config["options"]["maintainAspectRatio"] is False
    assert config["options"]["animation"] is False
    assert config["options"]["plugins"]["legend"]["display"] is True
    single, _ = series.chart_config("looker_line", rows, ["u.state", "o.count"], [], META)
    assert single["options"]["plugins"]["legend"]["display"] is False
    assert "indexAxis" not in single["options"]


def test_areas_are_marked_filled():
    config, _ = series.chart_config("looker_area", [{"u.state": "Ohio", "o.count": 5}], ["u.state", "o.count"], [],
                                    META)
    dataset = config["data"]["datasets"][0]
    assert config["type"] == "line" and dataset["fill"] is True and dataset["series"] == 0


def test_pies_draw_the_first_series_only_in_every_colour_with_a_legend_and_no_axes():
    rows = [{"u.state": "Ohio", "o.count": 5, "o.total": 1.0}]
    for vis, kind in (("looker_pie", "pie"), ("looker_donut_multiples", "doughnut")):
        config, _ = series.chart_config(vis, rows, FIELDS, [], META)
        assert config["type"] == kind and len(config["data"]["datasets"]) == 1
        dataset = config["data"]["datasets"][0]
        assert dataset["colourEach"] is True and dataset["series"] == 0 and "yAxisID" not in dataset
        assert config["options"]["plugins"]["legend"]["display"] is True and "scales" not in config["options"]


def test_each_series_takes_the_next_place_in_the_series_order():
    rows = [{"u.state": "Ohio", "o.count": {str(i): i for i in range(10, 20)}}]
    config, _ = series.chart_config("looker_column", rows, ["u.state", "u.gender", "o.count"], ["u.gender"], META)
    assert [d["series"] for d in config["data"]["datasets"]] == list(range(10))


def test_a_chart_without_a_measure_says_so():
    assert series.chart_config("looker_line", [{"u.state": "Ohio"}], ["u.state"], [], META) == (
        None, "A chart needs at least one measure; showing the table.")


def test_a_pivoted_measure_among_several_names_its_series_by_measure_and_value():
    rows = [{"u.state": "Ohio", "o.count": {"M": 1}, "o.total": {"M": 2.0}}]
    made = series.series(rows, ["u.state", "u.gender", "o.count", "o.total"], ["u.gender"], META)
    assert made == [("Count · M", "o.count", [1]), ("Total Sale Price · M", "o.total", [2.0])]
    assert series.series([{"o.count": None}], ["u.gender", "o.count"], ["u.gender"], META) == [("Count", "o.count", [None])]
    assert series.pivot_values([{"o.count": {"b": 1, "a": 2}}, {"o.count": {"c": 1, "a": 1}}, {}], "o.count") == [
        "a", "b", "c"]


def test_a_single_value_compares_with_the_second_measure_as_a_signed_percentage():
    fields = ["o.total", "o.count"]
    assert series.single_value([{"o.total": 90.0, "o.count": 100}], fields, [], META)["comparison"] == (
        "-10.0% vs 100 Count")
    assert series.single_value([{"o.total": 100.0, "o.count": 100}], fields, [], META)["comparison"] == (
        "+0.0% vs 100 Count")
    assert series.single_value([{"o.total": 90.0, "o.count": -100}], fields, [], META)["comparison"] == (
        "+190.0% vs -100 Count")
    assert series.single_value([{"o.total": 90.0, "o.count": 0}], fields, [], META)["comparison"] == "0 Count"
    assert series.single_value([{"o.total": None, "o.count": 5}], fields, [], META)["comparison"] == "5 Count"
    assert series.single_value([], fields, [], META) == {"value": formats.NULL, "label": "Total Sale Price",
                                                         "comparison": formats.NULL + " Count"}
    assert series.single_value([{"u.state": "Ohio"}], ["u.state"], [], META) == {"value": "Ohio", "label": "State"}
    assert series.single_value([], [], [], META) == {"value": formats.NULL, "label": ""}


def test_a_scatter_plot_puts_the_first_dimension_across_and_skips_points_that_are_not_numbers():
    rows = [{"u.age": 30, "o.count": 3}, {"u.age": None, "o.count": 4}, {"u.age": 40, "o.count": "x"}]
    config, note = series.chart_config("looker_scatter", rows, ["u.age", "o.count"], [], META)
    assert note is None
    dataset = config["data"]["datasets"][0]
    assert dataset["data"] == [{"x": 30, "y": 3}] and dataset["formatted"] == ["Age 30, 3"]
    assert dataset["label"] == "Count" and dataset["series"] == 0
    scales = config["options"]["scales"]
    assert scales["x"]["type"] == "linear" and scales["x"]["title"] == {"display": True, "text": "Age"}
    assert config["options"]["plugins"]["legend"]["display"] is False
    two, _ = series.chart_config("looker_scatter", [{"o.count": 1, "o.total": 2.0}], ["o.count", "o.total"], [], META)
    assert two["data"]["datasets"][0]["data"] == [{"x": 1, "y": 2.0}]
    _, note = series.chart_config("looker_scatter", [{"o.count": 1, "u.state": "a"}], ["u.state", "o.count"], [], META)
    assert note == "A scatter plot needs two numeric fields; State is not numeric. Showing the table."
    _, note = series.chart_config("looker_scatter", [], ["u.age", "u.state"], [], META)
    assert note == "A scatter plot needs two numeric fields; this query has fewer. Showing the table."


def test_a_summary_counts_one_category_or_point_in_the_singular_and_says_when_a_series_has_no_values():
    config, _ = series.chart_config("looker_column", [{"u.state": "Ohio", "o.count": None}], ["u.state", "o.count"],
                                    [], META)
    assert series.chart_summary("looker_column", config) == "Column chart, 1 category. Count: no values."
    assert series.chart_summary("other", config).startswith("Chart, 1 category.")
    assert series.counted(0, "point", "points") == "0 points" and series.counted(2, "a", "b") == "2 b"


def test_guessed_and_explore_metadata_label_fields_as_looker_does():
    assert series.title("order_items.total_sale_price") == "Total Sale Price"
    assert series.title("x.__a__b") == "A B"
    meta = series.guessed_meta(["state", "o.count", "flag"], {"state": "Ohio", "o.count": 2, "flag": True})
    assert meta["state"]["full"] == "State" and meta["o.count"]["full"] == "O Count"
    assert meta["flag"]["measure"] is False  # a yes/no is not a number
    assert meta["o.count"]["spec"] == formats.MEASURE and meta["state"]["spec"] == formats.PLAIN
    assert series.guessed_meta(["a", "b"], None)["b"]["measure"] is False
    field = series.field_meta({"name": "o.n", "is_numeric": False, "category": "dimension"})
    assert field["label"] == field["full"] == "o.n" and field["numeric"] is False and field["drill"] == []
    assert series.explore_meta({}) == {}


def test_grid_columns_for_fields_without_metadata_and_an_ascending_sort():
    made = series.columns(["x"], None, [], {}, ["x"])
    assert made == [{"key": "x", "label": "x", "numeric": False, "format": formats.PLAIN, "sorted": "ascending"}]
    assert series.columns(["x"], [], [], {}, ["xy desc"])[0].get("sorted") is None
    assert series.category({"a": 1, "b": None}, ["a", "b"]) == "1 · " + formats.NULL
    assert series.category({}, []) == ""


def test_a_scatter_plot_formats_both_values_and_draws_one_unanimated_responsive_dataset():
    rows = [{"u.age": 30, "o.total": 1234.5}]
    config, _ = series.chart_config("looker_scatter", rows, ["u.age", "o.total"], [], META)
    spec = META["o.total"]["spec"]
    assert config == {"type": "scatter", "data": {"datasets": [{
        "label": "Total Sale Price", "data": [{"x": 30, "y": 1234.5}], "series": 0, "formatted": ["Age 30, $1,234.50"]}]},
        "options": {"responsive": True, "maintainAspectRatio": False, "animation": False,
                    "plugins": {"legend": {"display": False}},
                    "scales": {"x": {"type": "linear", "title": {"display": True, "text": "Age"},
                                     "format": formats.PLAIN},
                               "y": {"title": {"display": True, "text": "Total Sale Price"}, "format": spec}}}}
    money = dict(META, **{"u.age": dict(META["u.age"], spec=spec)})
    config, _ = series.chart_config("looker_scatter", rows, ["u.age", "o.total"], [], money)
    assert config["data"]["datasets"][0]["formatted"] == ["Age $30.00, $1,234.50"]


def test_a_scatter_plot_without_measures_plots_the_next_numeric_dimension_and_names_one_that_is_not():
    meta = dict(META, **{"u.height": dict(META["u.age"], label="Height"),
                         "o.names": dict(META["o.count"], numeric=False, label="Names")})
    rows = [{"u.age": 30, "u.state": "x", "u.height": 180}]
    config, _ = series.chart_config("looker_scatter", rows, ["u.age", "u.state", "u.height"], [], meta)
    assert config["data"]["datasets"][0]["data"] == [{"x": 30, "y": 180}]
    config, _ = series.chart_config("looker_scatter", rows, ["u.age", "u.height"], [], meta)
    assert config["data"]["datasets"][0]["data"] == [{"x": 30, "y": 180}]
    _, note = series.chart_config("looker_scatter", rows, ["u.age", "o.names"], [], meta)
    assert note == "A scatter plot needs two numeric fields; Names is not numeric. Showing the table."


def test_a_summary_goes_on_after_a_series_without_values_and_counts_only_the_series_past_four():
    rows = [{"u.state": "Ohio", "o.count": None, "o.total": 2.0}]
    config, _ = series.chart_config("looker_column", rows, FIELDS, [], META)
    assert series.chart_summary("looker_column", config) == (
        "Column chart, 1 category. Count: no values. Total Sale Price: highest $2.00 (Ohio), lowest $2.00 (Ohio).")
    pivoted = [{"u.state": "Ohio", "o.count": {str(i): i for i in range(count)}} for count in (4, 5)]
    four, _ = series.chart_config("looker_line", pivoted[:1], ["u.state", "u.gender", "o.count"], ["u.gender"], META)
    assert not series.chart_summary("looker_line", four).endswith("more series.")
    five, _ = series.chart_config("looker_line", pivoted[1:], ["u.state", "u.gender", "o.count"], ["u.gender"], META)
    assert series.chart_summary("looker_line", five).endswith(" And 1 more series.")
    points, _ = series.chart_config("looker_scatter", [{"u.age": 1, "o.count": 2}, {"u.age": 3, "o.count": 4}],
                                    ["u.age", "o.count"], [], META)
    assert series.chart_summary("looker_scatter", points) == "Scatter plot, 2 points: Count against Age."


def test_single_values_compare_only_measures_in_the_second_ones_format():
    assert "comparison" not in series.single_value([{"u.state": "Ohio", "u.gender": "F"}], ["u.state", "u.gender"],
                                                   [], META)
    shown = series.single_value([{"o.count": 110, "o.total": 100.0}], ["o.count", "o.total"], [], META)
    assert shown == {"value": "110", "label": "Count", "comparison": "+10.0% vs $100.00 Total Sale Price"}


def test_metadata_entries_have_every_key_the_charts_and_the_grid_read():
    field = series.field_meta({"name": "o.n", "label_short": "N", "label": "Orders N", "category": "measure",
                               "drill_fields": None})
    assert field == {"measure": True, "numeric": True, "label": "N", "full": "Orders N", "spec": field["spec"],
                     "drill": []}
    guessed = series.guessed_meta(["a.b", "a.n"], {"a.b": "x", "a.n": 2})
    assert guessed["a.n"] == {"measure": True, "numeric": True, "label": "N", "full": "A N", "spec": formats.MEASURE,
                              "drill": []}
    assert guessed["a.b"] == {"measure": False, "numeric": False, "label": "B", "full": "A B", "spec": formats.PLAIN,
                              "drill": []}


def test_a_scatter_plot_of_no_fields_says_it_needs_two():
    assert series.chart_config("looker_scatter", [], [], [], META)[1] == (
        "A scatter plot needs two numeric fields; this query has fewer. Showing the table.")


def test_explore_meta_reads_only_the_keys_a_page_lets_cross_from_javascript():
    """components.explore_meta projects Looker's answer to EXPLORE_KEYS before it crosses into Python: a key
    explore_meta reads that is not listed would arrive missing."""
    read = set()

    class Recording(dict):
        def get(self, key, default=None):
            read.add(key)
            return super().get(key, default)

        def __getitem__(self, key):
            read.add(key)
            return super().__getitem__(key)

    def field(**values):
        return Recording(dict(dict(name="v.f", value_format="0.0", value_format_name="usd", category="measure",
                                   label="L", label_short="S", is_numeric=True, drill_fields=["v.a"], unread="x"),
                              **values))

    explore = Recording(fields=Recording(dimensions=[field()], measures=[field(value_format=None)]))
    meta = series.explore_meta(explore)
    assert meta["v.f"]["drill"] == ["v.a"] and read and read <= set(series.EXPLORE_KEYS), read - set(series.EXPLORE_KEYS)
    assert set(series.EXPLORE_KEYS) - read == set(), set(series.EXPLORE_KEYS) - read  # and nothing listed in vain
