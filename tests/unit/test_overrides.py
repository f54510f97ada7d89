"""core.overrides: what a published page's dashboard.toml may say, each problem in its own words,
and how the tiles are changed and laid out (the shared checks in app_logic_checks also run on MicroPython)."""

from looker_pkce.core import overrides


def tile(key, width=8, height=6):
    return ({"id": key, "title": "Looker's " + key, "title_text": "Looker's " + key},
            {"column": 0, "row": 0, "width": width, "height": height})


def test_each_problem_is_said_in_its_own_words():
    assert overrides.problems({"dashboard": "1", "query": {}}) == [
        "unknown key “query”: use dashboard, look, order, hidden, titles, styles"]
    assert overrides.problems({}) == ['name either dashboard = "ID" or look = "ID" (the id in Looker), not neither']
    assert overrides.problems({"dashboard": "1", "look": "2"}) == [
        'name either dashboard = "ID" or look = "ID" (the id in Looker), not both']
    assert overrides.problems({"look": 4}) == ['look must be an id as a string, e.g. "1"']
    assert overrides.problems({"dashboard": "1", "hidden": "2"}) == [
        'hidden must be a list of tile ids as strings, e.g. ["1", "2"]']
    assert overrides.problems({"dashboard": "1", "titles": ["2"]}) == ['[titles] maps tile ids to titles: "1" = "Revenue"']
    assert overrides.problems({"dashboard": "1", "styles": {"2": "red"}}) == [
        '[styles."ID"] maps CSS custom properties to values: "--tile-accent" = "#8a3b00"']
    assert overrides.problems({"dashboard": "1", "styles": {"2": {"--": "red"}}}) == [
        "styles of tile 2: “--” is not a CSS custom property (--name)"]
    assert overrides.problems({"dashboard": "1", "styles": {"2": {"--x": "a;b"}}}) == [
        "styles of tile 2: the value of --x may hold letters, digits, spaces and # % . , - _ ( ) / quotes only"]


def test_every_problem_of_a_file_is_said_not_only_the_first():
    said = overrides.problems({"dashboard": 1, "extra": 1, "order": [1], "titles": {"": "T"}, "styles": {"2": {"x": 1}}})
    assert len(said) == 5
    assert said[0].startswith("unknown key “extra”") and said[1].startswith("dashboard must be an id")
    assert said[2].startswith("order must be") and said[3].startswith("[titles]") and said[4].startswith("styles of tile 2")


def test_ids_are_looker_ids_numeric_or_a_lookml_dashboards_model_and_name():
    assert overrides.problems({"dashboard": "thelook::business_pulse", "order": ["a-1", "b_2"]}) == []
    for bad in ("", "1 2", "1;", "a:b", "::", "a::", "a::b::c"):
        assert overrides.problems({"dashboard": bad}) == ['dashboard must be an id as a string, e.g. "1"'], bad
    assert overrides.problems({"dashboard": "1", "styles": {"2": {"--tile-accent_2": "#8a3b00"}}}) == []
    assert overrides.problems({"dashboard": "1", "styles": {"2": {"--a.b": "1"}}})  # a dot is no name character


def test_a_retitled_tile_is_a_copy_with_both_of_lookers_title_fields_replaced():
    placed = [tile("1")]
    [(element, _)] = overrides.apply(placed, {"titles": {"1": "Revenue"}})
    assert element["title"] == element["title_text"] == "Revenue"
    assert placed[0][0]["title_text"] == "Looker's 1"  # Looker's answer is left as it came


def test_ordered_tiles_flow_left_to_right_and_down_each_keeping_its_size():
    placed = [tile("1", 8), tile("2", 8), tile("3", 8, 4), tile("4", 12, 2)]
    shown = overrides.apply(placed, {"order": ["3"]})
    assert [(e["id"], p) for e, p in shown] == [
        ("3", {"column": 0, "row": 0, "width": 8, "height": 4}),
        ("1", {"column": 8, "row": 0, "width": 8, "height": 6}),
        ("2", {"column": 16, "row": 0, "width": 8, "height": 6}),
        ("4", {"column": 0, "row": 6, "width": 12, "height": 2}),  # below the tallest of the line above
    ]


def test_tiles_without_an_id_keep_their_turn_after_the_ordered_ones():
    placed = [({"title": "a text tile"}, {"column": 0, "row": 0, "width": 24, "height": 2}), tile("7")]
    shown = overrides.apply(placed, {"order": ["7"], "titles": {"7": "Seven"}})
    assert [e.get("id") for e, _ in shown] == ["7", None]
    assert overrides.apply(placed, {"hidden": ["8"]})[0][0] == {"title": "a text tile"}


def test_a_tiles_styles_are_its_own_in_name_order():
    page = {"styles": {"2": {"--b": "1", "--a": "2"}, "3": {"--c": "3"}}}
    assert overrides.styles(page, 2) == [("--a", "2"), ("--b", "1")]
    assert overrides.styles(page, None) == [] and overrides.styles(page, "4") == []
