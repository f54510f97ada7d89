"""app/wording.py: Looker's refusals in words a person reads, and the filters a 422 blames."""

from __future__ import annotations

import pytest

from looker_pkce.core import wording


@pytest.mark.parametrize("path,said", [
    ("looks/42", "Look 42"), ("/dashboards/thelook::orders?x=1", "dashboard thelook::orders"),
    ("folders/7", "folder 7"), ("lookml_models/m1", "model m1"), ("queries/5/run/json", "query 5"),
    ("users/3", "user 3"), ("looks", "this item"), ("looks/new", "this item"), ("boards/1", "this item"),
    ("", "this item"), (None, "this item"),
])
def test_a_path_names_the_thing_it_points_at_only_when_it_carries_an_id(path, said):
    assert wording.thing(path) == said


def test_looker_errors_become_details_with_their_field_unless_the_message_names_it():
    errors = [{"field": "title", "message": "is required"}, {"field": "title", "message": "title is too long"},
              {"message": "plain"}, {"field": "x", "message": ""}, "a text"]
    assert wording.explain("ApiError", 422, "Validation Failed", errors)[1] == [
        "title: is required", "title is too long", "plain", "a text"]
    assert wording.explain("ApiError", 422, "", None) == ("Looker could not do this: it refused the request.", [])


@pytest.mark.parametrize("kind,status,message,headline,details", [
    ("NotFound", 404, "Not found", "Looker has no this item, or it is not shared with you.", []),
    ("Forbidden", 403, "", "Your Looker role does not allow this.", []),
    ("Forbidden", 403, "no explore", "Your Looker role does not allow this.", ["no explore"]),
    ("RateLimited", 429, "slow down", "Looker is busy right now; try again in a moment.", []),
    ("ServerError", 500, "", wording.HEADLINES["ServerError"], []),
    ("NetworkError", None, "", "Looker could not be reached; check your connection and try again.", []),
    ("Timeout", None, "", "Looker took too long to answer; try again.", []),
    ("ApiError", 400, "Bad", "Looker could not do this: Bad.", []),
    ("ApiError", 499, "Odd", "Looker could not do this: Odd.", []),
    ("ApiError", 500, "Broken", "Broken", []),
    ("ApiError", 399, "Moved", "Moved", []),
    ("ApiError", None, "", "Something went wrong.", []),
])
def test_each_kind_of_error_has_its_own_headline(kind, status, message, headline, details):
    assert wording.explain(kind, status, message) == (headline, details)


def test_a_422_blames_the_filters_it_names_by_expression_or_by_field():
    errors = [{"field": "filters.o.date", "message": "'soon' is not a date"},
              {"field": "filters", "message": "u.state is unknown"}, {"field": "fields", "message": "'x' o.id"}, "s"]
    filters = [("o.date", "soon"), ("u.state", "Texas"), ("o.id", "x"), ("o.other", ""), ("o.more", "soon!")]
    assert wording.bad_filters(errors, filters) == ["o.date", "u.state"]
    assert wording.bad_filters(None, filters) == []


def test_a_filter_error_without_a_message_blames_nothing():
    assert wording.bad_filters([{"field": "filters"}], [("X", "y"), ("a", "x")]) == []


def test_an_error_without_a_message_reads_something_went_wrong_and_items_without_text_are_left_out():
    assert wording.explain("Oops") == ("Something went wrong.", [])
    assert wording.explain("ApiError", 500, "Broken", [{"field": "f"}, {"message": "kept"}]) == ("Broken", ["kept"])


def test_a_refused_inline_query_names_the_permission_looker_asks_and_what_to_do():
    """A Viewer's 403 on `POST queries/run/json` (docs/REAL_LOOKER.md#the-viewer): the `explore` permission,
    and that saved Looks and dashboards need none; a saved query's refusal is not explained that way."""
    headline, details = wording.explain("Forbidden", 403, "no explore", path="queries/run/json")
    assert headline == "Your Looker role does not allow this." and details[0] == "no explore"
    assert details[1:] == [wording.NEEDED["queries/run/"]] and "“explore” permission" in details[1]
    assert "Saved Looks and dashboards" in details[1]
    assert wording.explain("Forbidden", 403, "", path="/queries/run/json_detail")[1] == [wording.NEEDED["queries/run/"]]
    for other in ("queries/5/run/json", "looks/1/run/json", "", None):
        assert wording.explain("Forbidden", 403, "", path=other)[1] == [], other
    assert wording.explain("ApiError", 422, "Bad", path="queries/run/json")[1] == []  # not a refusal of the role
