"""looker_pkce.core.layout: Looker's dashboard_layouts on its 24-column grid, in reading order."""

from looker_pkce.core import layout


def component(element_id, column=0, row=0, width=8, height=6, **extra):
    return {"dashboard_element_id": element_id, "column": column, "row": row, "width": width, "height": height, **extra}


def board(components, ids=None, **layout_fields):
    ids = ids if ids is not None else [c["dashboard_element_id"] for c in components]
    return {"dashboard_elements": [{"id": i} for i in ids],
            "dashboard_layouts": [{"active": True, "dashboard_layout_components": components, **layout_fields}]}


def places(dashboard):
    return [(element["id"], place) for element, place in layout.placements(dashboard)]


def test_the_active_layout_is_used_and_a_deleted_one_never():
    deleted = {"id": "d", "active": True, "deleted": True}
    inactive, active = {"id": "i"}, {"id": "a", "active": True}
    assert layout.active_layout({"dashboard_layouts": [deleted, inactive, active]}) is active
    assert layout.active_layout({"dashboard_layouts": [deleted, inactive]}) is inactive  # no active one: the first
    assert layout.active_layout({"dashboard_layouts": [deleted]}) is None
    assert layout.active_layout({"dashboard_layouts": None}) is None
    assert layout.active_layout({}) is None


def test_tiles_keep_their_place_and_come_in_reading_order_row_then_column():
    dashboard = board([component("low", row=6, column=0, width=24, height=2), component("right", column=12, width=12),
                       component("left", column=0, width=12)])
    assert places(dashboard) == [("left", {"column": 0, "row": 0, "width": 12, "height": 6}),
                                 ("right", {"column": 12, "row": 0, "width": 12, "height": 6}),
                                 ("low", {"column": 0, "row": 6, "width": 24, "height": 2})]


def test_looker_sends_numbers_as_strings_and_they_are_read_as_numbers():
    assert places(board([component("a", column="4", row="2", width="6", height="3")])) == [
        ("a", {"column": 4, "row": 2, "width": 6, "height": 3})]


def test_a_place_stays_on_the_grid_however_wrong_the_layout_is():
    assert places(board([component("wide", column=30, width=40, height=0, row=-5)])) == [
        ("wide", {"column": 0, "row": 0, "width": 24, "height": 6})]  # height 0 is "not set": the default
    assert places(board([component("thin", column=-3, width=0, height=-2)]))[0][1] == {
        "column": 0, "row": 0, "width": 8, "height": 1}  # width 0 is "not set"; a negative height is one row
    assert places(board([component("edge", column=20, width=8)]))[0][1]["column"] == 16  # pulled back onto the grid
    assert places(board([component("narrow", width=-4)]))[0][1]["width"] == 1
    assert places(board([component("last", column=23, width=1)]))[0][1] == {"column": 23, "row": 0, "width": 1, "height": 6}


def test_missing_sizes_are_looker_defaults_of_eight_columns_by_six_rows():
    bare = {"dashboard_element_id": "a"}
    assert places(board([bare])) == [("a", {"column": 0, "row": 0, "width": 8, "height": 6})]


def test_a_deleted_component_leaves_its_tile_unplaced():
    dashboard = board([component("kept", column=8, row=0), component("gone", column=16, row=0, deleted=True)])
    assert places(dashboard) == [("kept", {"column": 8, "row": 0, "width": 8, "height": 6}),
                                 ("gone", {"column": 0, "row": 6, "width": 8, "height": 6})]


def test_unplaced_tiles_follow_below_three_to_a_row_in_the_dashboards_order():
    dashboard = board([component("placed", row=2, height=4)], ids=["u1", "placed", "u2", "u3", "u4"])
    assert places(dashboard) == [
        ("placed", {"column": 0, "row": 2, "width": 8, "height": 4}),
        ("u1", {"column": 0, "row": 6, "width": 8, "height": 6}),
        ("u2", {"column": 8, "row": 6, "width": 8, "height": 6}),
        ("u3", {"column": 16, "row": 6, "width": 8, "height": 6}),
        ("u4", {"column": 0, "row": 12, "width": 8, "height": 6}),
    ]
    assert layout.grid_style(dict(places(dashboard))["u2"]) == [("--col", "9"), ("--row", "7"), ("--w", "8"), ("--h", "6")]


def test_without_a_layout_every_tile_flows_from_the_top():
    assert places({"dashboard_elements": [{"id": "a"}, {"id": "b"}]}) == [
        ("a", {"column": 0, "row": 0, "width": 8, "height": 6}), ("b", {"column": 8, "row": 0, "width": 8, "height": 6})]
    assert layout.placements({}) == []


def test_the_bottom_is_the_lowest_edge_of_any_tile_not_of_the_last_one():
    dashboard = board([component("tall", column=0, row=0, height=10), component("short", column=8, row=1, height=2)],
                      ids=["tall", "short", "loose"])
    assert dict(places(dashboard))["loose"]["row"] == 10


def test_an_overlapping_tile_moves_down_below_the_tile_it_overlaps_never_up():
    dashboard = board([component("a", column=8, row=12, width=8), component("b", column=0, row=12, width=24, height=2)])
    assert places(dashboard) == [("b", {"column": 0, "row": 12, "width": 24, "height": 2}),
                                 ("a", {"column": 8, "row": 14, "width": 8, "height": 6})]


def test_a_moved_tile_is_checked_again_against_every_earlier_tile():
    # b moves below a, then d moves below c, where b now is: d must move again, below b
    dashboard = board([component("a", column=0, row=3, width=3, height=3), component("b", column=2, row=3, width=4, height=4),
                       component("c", column=4, row=3, width=5, height=3), component("d", column=3, row=4, width=5, height=2)])
    placed = places(dashboard)
    assert placed == [("a", {"column": 0, "row": 3, "width": 3, "height": 3}),
                      ("c", {"column": 4, "row": 3, "width": 5, "height": 3}),
                      ("b", {"column": 2, "row": 6, "width": 4, "height": 4}),
                      ("d", {"column": 3, "row": 10, "width": 5, "height": 2})]
    assert not [(x, y) for i, (x, p) in enumerate(placed) for y, q in placed[i + 1:] if layout.overlaps(p, q)]


def test_tiles_that_only_touch_do_not_overlap():
    a = {"column": 0, "row": 0, "width": 8, "height": 6}
    assert not layout.overlaps(a, {"column": 8, "row": 0, "width": 8, "height": 6})  # side by side
    assert not layout.overlaps(a, {"column": 0, "row": 6, "width": 8, "height": 6})  # one on the other
    assert not layout.overlaps({"column": 8, "row": 0, "width": 8, "height": 6}, a)
    assert not layout.overlaps({"column": 0, "row": 6, "width": 8, "height": 6}, a)
    assert layout.overlaps(a, {"column": 7, "row": 5, "width": 8, "height": 6})
    assert layout.overlaps({"column": 7, "row": 5, "width": 8, "height": 6}, a)
    assert layout.overlaps(a, {"column": 2, "row": 2, "width": 1, "height": 1})  # inside


def test_settle_leaves_tiles_that_do_not_overlap_where_they_are():
    placed = [("x", {"column": 0, "row": 3, "width": 8, "height": 2}), ("y", {"column": 8, "row": 0, "width": 8, "height": 9})]
    layout.settle(placed)
    assert placed == [("y", {"column": 8, "row": 0, "width": 8, "height": 9}),
                      ("x", {"column": 0, "row": 3, "width": 8, "height": 2})]  # re-sorted, nothing moved


def test_grid_style_gives_one_based_css_grid_lines_and_spans():
    assert layout.grid_style({"column": 12, "row": 0, "width": 12, "height": 6}) == [
        ("--col", "13"), ("--row", "1"), ("--w", "12"), ("--h", "6")]
