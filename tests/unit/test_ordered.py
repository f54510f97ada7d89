"""core/ordered.py: JSON whose objects keep the order Looker wrote their keys in (MicroPython's dict does not)."""

import json
import subprocess
from collections import OrderedDict
from pathlib import Path

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


# --- the tagged form: the browser's JavaScript writes it, the standard parser reads it ----------------------

BOOT_JS = Path(__file__).resolve().parents[2] / "py" / "looker_pkce" / "assets" / "boot.js"
TAGGER = """const fs = require("fs");
const source = fs.readFileSync(process.argv[1], "utf8").replace(/^export const ready.*$/m, "");
const taggedJson = new Function(source + "; return taggedJson;")();
console.log(JSON.stringify(JSON.parse(fs.readFileSync(0, "utf8")).map((text) => taggedJson(text))));
"""
TRICKY = SAMPLES + [
    '{"2":1,"1":2,"b":{"10":1,"9":0}}',  # keys JavaScript's objects would put first, in number order
    '{"a":1.0,"b":12345678901234567890123,"c":-0,"d":1E-2}',  # numbers as written: a float stays a float
    '{"a":1,"a":2,"b":3}',  # a repeated key: its first place, its last value (as the walk and CPython do)
    '{"k,:[]{}":"v,:[]{}\\"}", "\\u005b":["\\"",[],{}]}',  # structure inside strings
    '{"dashboard_elements":[{"query":{"filters":{"z.f":"1","a.f":"2"}}}]}',
]
NOT_JSON = ['{"a" 1}', "", "[1,]", '{"a":1', "[1] x", "{1:2}"]


def boot_js_tagger(texts):
    answer = subprocess.run(["node", "-e", TAGGER, str(BOOT_JS)], input=json.dumps(texts), capture_output=True,
                            text=True, check=True)
    return json.loads(answer.stdout)


def test_the_lean_loaders_tagged_json_reads_as_the_walk_does_in_the_texts_order():
    tagged = boot_js_tagger(TRICKY + NOT_JSON)
    for text, form in zip(TRICKY, tagged):
        read = ordered.from_tagged(json.loads(form))
        assert read == ordered.loads(text) and json.dumps(read) == json.dumps(ordered.loads(text)), text
        assert all(type(item) is OrderedDict for item in objects_in(read))
    assert tagged[len(TRICKY):] == [None] * len(NOT_JSON)  # the walk then says what is wrong


class Pairs(list):
    """An object's (key, value) pairs, as CPython's parser hands them to object_pairs_hook."""


def python_tagger(text):
    """The tagged form written by CPython's own parser (for the unit tests, which run without Node)."""
    try:
        value = json.loads(text, object_pairs_hook=Pairs)
    except ValueError:
        return None

    def tagged(value):
        if isinstance(value, Pairs):
            return "[0" + "".join("," + json.dumps(key) + "," + tagged(item) for key, item in value) + "]"
        if isinstance(value, list):
            return "[1" + "".join("," + tagged(item) for item in value) + "]"
        return json.dumps(value)

    return tagged(value)


@pytest.mark.parametrize("text", TRICKY)
def test_the_tagged_form_reads_as_the_walk_does(text):
    read = ordered.from_tagged(json.loads(python_tagger(text)))
    assert read == ordered.loads(text) and json.dumps(read) == json.dumps(ordered.loads(text))
    assert all(type(item) is OrderedDict for item in objects_in(read))


def test_loads_reads_through_the_platforms_tagger_and_walks_what_it_refuses():
    told = []

    def tagger(text):
        told.append(text)
        return python_tagger(text)

    ordered.use_tagger(tagger)
    try:
        parsed = ordered.loads('{"z":{"b":1,"a":[2,{}]},"y":1.0}')
        assert json.dumps(parsed) == '{"z": {"b": 1, "a": [2, {}]}, "y": 1.0}' and type(parsed["z"]) is OrderedDict
        with pytest.raises(ValueError, match="expected ':' at 5"):
            ordered.loads('{"a" 1}')
        assert ordered.loads(b'{"b":1}') == {"b": 1}  # bytes are walked: the tagger reads text
        assert told == ['{"z":{"b":1,"a":[2,{}]},"y":1.0}', '{"a" 1}']
    finally:
        ordered.use_tagger(None)
    assert ordered.loads('{"z":1}') == {"z": 1} and len(told) == 2
