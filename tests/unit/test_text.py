"""app/text.py: JSON laid out for people in the data's order, durations, and the spec's Markdown as plain blocks."""

from __future__ import annotations

from app import text


def test_pretty_json_indents_two_spaces_per_level_and_writes_empty_containers_inline():
    assert text.pretty({"a": [1, "x"], "b": {}, "c": []}) == (
        '{\n  "a": [\n    1,\n    "x"\n  ],\n  "b": {},\n  "c": []\n}')
    assert text.pretty({1: None}, "  ") == '{\n    "1": null\n  }'
    assert text.pretty("é") == '"\\u00e9"' and text.pretty(None) == "null"


def test_durations_read_in_seconds_with_one_decimal_truncated():
    assert text.seconds(0) == "0.0 s" and text.seconds(1999) == "1.9 s" and text.seconds(61000.7) == "61.0 s"


def test_markdown_keeps_link_texts_drops_emphasis_and_code_ticks_and_keeps_underscores():
    assert text.markdown_blocks("a [b](c) `g` **h** _i_") == [("paragraph", "a b g h _i_")]
    assert text.markdown_blocks("[x](unclosed") == [("paragraph", "[x](unclosed")]


def test_markdown_blocks_split_at_blank_lines_headings_items_and_fences():
    source = "one\ntwo\n\n## Title\n* star item\n- dash item\nafter\n```\n  kept *as* is\n\n```\n\n\n"
    assert text.markdown_blocks(source) == [
        ("paragraph", "one two"), ("heading", "Title"), ("item", "star item"), ("item", "dash item"),
        ("paragraph", "after"), ("code", "  kept *as* is\n")]
    assert text.markdown_blocks("```\nopen fence") == [("code", "open fence")]
    assert text.markdown_blocks(None) == [] and text.markdown_blocks("-not an item") == [("paragraph", "-not an item")]


def test_link_texts_are_found_from_their_own_bracket_to_their_own_parenthesis():
    assert text.markdown_blocks("(x) [a](b) and [c](d) (e) X") == [("paragraph", "(x) a and c (e) X")]
    assert text.markdown_blocks("a](b) [t](u)") == [("paragraph", "a](b) t")]
    assert text.markdown_blocks("## X-ray") == [("heading", "X-ray")]
    assert text.markdown_blocks("```\na\nb") == [("code", "a\nb")]
    assert text.seconds(1900) == "1.9 s"
