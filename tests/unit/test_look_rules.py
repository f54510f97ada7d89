"""app/look_rules.py: the filter values a look's address carries, and what a new Look lacks before saving."""

from __future__ import annotations

from app import look_rules


def test_a_looks_address_carries_its_filters_as_f_brackets_sorted_by_field():
    params = {"f[users.state]": "Texas", "refresh": "60", "f[]": "", "f[orders.date]": "7 days", "users.age": "9",
              "f[open": "x", "close]": "y"}
    assert look_rules.link_values(params) == [("", ""), ("orders.date", "7 days"), ("users.state", "Texas")]
    assert look_rules.link_values({}) == []


def test_a_field_name_keeps_its_own_brackets_and_a_value_stays_as_written():
    assert look_rules.link_values({"f[a[b]]": " 1, 2 "}) == [("a[b]", " 1, 2 ")]


def test_saving_a_look_needs_a_title_then_a_field_then_a_folder_said_one_at_a_time():
    fields = {"fields": ["users.count"]}
    assert look_rules.missing("", {"fields": []}, "") == "Give the Look a title."
    assert look_rules.missing("Sales", {"fields": []}, "") == "Pick at least one field before saving."
    assert look_rules.missing("Sales", fields, "") == "Pick a folder to save the Look in."
    assert look_rules.missing("Sales", fields, "7") is None
