"""core/ordered.py: JSON whose objects keep the order Looker wrote their keys in (MicroPython's dict does not)."""

import json
from collections import OrderedDict

import pytest

from looker_pkce.core import ordered

SAMPLES = [
    '{"z":1,"a":[1,2,{"y":null,"b":true}],"m":"x"}',  # compact, as Looker writes it
    ' { "z" : 1 ,\n\t"a" : [ ] , "e" : { } , "s" : "" }\r\n',
    '[-1.5e3,0,1E2,"",false]',
    '["a\\"",1]', '["\\\\",1]', '["\\\\\\"x",2]', '"\\u00e9\\n"', '"été"', "3", "null", "[[]]", '{"":{"":""}}',
]


@pytest.mark.parametrize("text", SAMPLES)
def test_it_parses_what_the_standard_parser_does(text):
    assert ordered.loads(text) == json.loads(text)


def objects_in(value):
    if isinstance(value, dict):
        return [value] + [inner for item in value.values() for inner in objects_in(item)]
    return [inner for item in value for inner in objects_in(item)] if isinstance(value, list) else []


@pytest.mark.parametrize("text", SAMPLES[:2])
def test_objects_are_ordered_dicts_in_the_texts_key_order_at_every_depth(text):
    parsed = ordered.loads(text)
    assert json.dumps(parsed) == json.dumps(json.loads(text, object_pairs_hook=OrderedDict))  # dumps writes in order
    assert len(objects_in(parsed)) >= 2 and all(type(item) is OrderedDict for item in objects_in(parsed))


@pytest.mark.parametrize("text", ['{"b":1}', b'{"b":1}', bytearray(b'{"b":1}')])
def test_text_or_utf8_bytes_are_read(text):
    assert ordered.loads(text) == {"b": 1}


def test_a_string_without_escapes_and_one_with_them_read_the_same():
    assert ordered.loads('["plain", "\\u0070lain", "tab\\there"]') == ["plain", "plain", "tab\there"]


@pytest.mark.parametrize("text, message", [
    ("", "unexpected end of JSON"),
    ("[", "unexpected end of JSON"),
    ("   ", "unexpected end of JSON"),
    ('{"a":', "unexpected end of JSON"),
    ("[1", "expected ',' or ']' at 2"),
    ("[1 2]", "expected ',' or ']' at 3"),
    ("[1,]", "unexpected ']' at 3"),
    ("{", "expected a key at 1"),
    ('{"a":1', "expected ',' or '}' at 6"),
    ('{"a":1 "b":2}', "expected ',' or '}' at 7"),
    ('{"a" 1}', "expected ':' at 5"),
    ('{"a"', "expected ':' at 4"),
    ("{1:2}", "expected a key at 1"),
    ('{"a":1,}', "expected a key at 7"),
    ('"open', "unterminated string at 0"),
    ('["a\\"]', "unterminated string at 1"),
    ("[1] x", "extra data at 4"),
    ("tru", "unexpected 't' at 0"),
    ("@", "unexpected '@' at 0"),
])
def test_malformed_json_is_a_value_error_that_says_where(text, message):
    with pytest.raises(ValueError) as raised:
        ordered.loads(text)
    assert str(raised.value) == message


def test_pairs_gives_an_objects_items_in_order_and_nothing_for_anything_else():
    data = ordered.loads('{"z":1,"a":2}')
    assert ordered.pairs(data) == [("z", 1), ("a", 2)]
    assert ordered.pairs([("z", 1)]) == [] and ordered.pairs(None) == [] and ordered.pairs("za") == []


def test_obj_builds_an_object_written_in_the_given_order():
    made = ordered.obj([("z", 1), ("a", 2), ("m", 3)])
    assert isinstance(made, OrderedDict) and list(made) == ["z", "a", "m"]
    assert json.dumps(made) == '{"z": 1, "a": 2, "m": 3}'
    assert ordered.obj([]) == OrderedDict()
