"""JSON whose objects keep their keys in the order Looker sent them, on CPython and MicroPython.

MicroPython's dict does not keep insertion order and its json.loads has no object_pairs_hook,
so `loads` parses objects into OrderedDict (ordered on both interpreters; json.dumps writes an
OrderedDict in its order there too). Strings and numbers are handed to json.loads, so escapes
and number syntax follow the standard parser. Pure: no browser, no I/O.

Walking the text in Python is slow on MicroPython (a 25 kB dashboard: ~20 ms). A platform that can
write the same JSON in a *tagged* form faster passes that writer to `use_tagger`: every object as
[0, key, value, ...] and every array as [1, item, ...], strings and numbers copied as they are. The
standard parser (C) reads that, and `from_tagged` makes the OrderedDicts (~5 ms). In a browser the
lean loader's JavaScript is that writer (assets/boot.js; looker_pkce.browser hands it over as
bridge.tagged_json); it answers None for text that is not JSON, which the walk then parses, or
refuses, as before.
"""

import json
from collections import OrderedDict

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

_SPACE = b" \t\r\n"
_LITERALS = ((b"true", True), (b"false", False), (b"null", None))
_NUMBER_CHARS = b"+-0123456789.eE"
_QUOTE, _BACKSLASH, _COLON, _COMMA = 34, 92, 58, 44
_OPEN_OBJECT, _CLOSE_OBJECT, _OPEN_ARRAY, _CLOSE_ARRAY = 123, 125, 91, 93
OBJECT, ARRAY = 0, 1  # the tags of the tagged form
_tagger: "list[Callable[[str], str | None]]" = []  # the platform's faster writer of the tagged form, if any


def use_tagger(tagger: "Callable[[str], str | None] | None") -> None:
    """From now on `loads` reads text through `tagger` (JSON text -> the same in tagged form, or None when it is
    not JSON); None: walk the text in Python again."""
    _tagger[:] = [tagger] if tagger is not None else []


def loads(text: "str | bytes | bytearray") -> "Any":
    """Parse JSON text; objects become OrderedDict in the text's key order.

    Works on UTF-8 bytes: MicroPython indexes a str by walking it, bytes in constant time."""
    tagged = _tagger[0](text) if _tagger and isinstance(text, str) else None
    if tagged is not None:
        return from_tagged(json.loads(tagged))
    data = text.encode() if isinstance(text, str) else bytes(text)
    value, end = _value(data, _skip(data, 0))
    end = _skip(data, end)
    if end != len(data):
        raise ValueError("extra data at " + str(end))
    return value


def from_tagged(value: "Any") -> "Any":
    """What a value in the tagged form (see the module's notes) stands for: OrderedDicts and lists."""
    if type(value) is not list:
        return value
    if value[0] == ARRAY:
        return [from_tagged(item) for item in value[1:]]
    result: "OrderedDict[str, Any]" = OrderedDict()
    for i in range(1, len(value), 2):
        result[value[i]] = from_tagged(value[i + 1])
    return result


def _skip(data: bytes, i: int) -> int:
    while i < len(data) and data[i] in _SPACE:
        i += 1
    return i


def _value(data: bytes, i: int) -> "tuple[Any, int]":
    if i >= len(data):
        raise ValueError("unexpected end of JSON")
    char = data[i]
    if char == _OPEN_OBJECT:
        return _object(data, i + 1)
    if char == _OPEN_ARRAY:
        return _array(data, i + 1)
    if char == _QUOTE:
        return _string(data, i)
    for word, value in _LITERALS:
        if data[i:i + len(word)] == word:
            return value, i + len(word)
    end = i
    while end < len(data) and data[end] in _NUMBER_CHARS:
        end += 1
    if end == i:
        raise ValueError("unexpected " + repr(chr(char)) + " at " + str(i))
    return json.loads(data[i:end].decode()), end


def _string(data: bytes, i: int) -> "tuple[str, int]":
    end = i + 1
    while True:
        end = data.find(b'"', end)
        if end < 0:
            raise ValueError("unterminated string at " + str(i))
        backslashes = 0
        while data[end - 1 - backslashes] == _BACKSLASH:
            backslashes += 1
        if backslashes % 2 == 0:
            raw = data[i + 1:end]
            return (json.loads(data[i:end + 1].decode()) if b"\\" in raw else raw.decode()), end + 1
        end += 1


def _object(data: bytes, i: int) -> "tuple[OrderedDict[str, Any], int]":
    result: "OrderedDict[str, Any]" = OrderedDict()
    i = _skip(data, i)
    if i < len(data) and data[i] == _CLOSE_OBJECT:
        return result, i + 1
    while True:
        if i >= len(data) or data[i] != _QUOTE:
            raise ValueError("expected a key at " + str(i))
        key, i = _string(data, i)
        i = _skip(data, i)
        if i >= len(data) or data[i] != _COLON:
            raise ValueError("expected ':' at " + str(i))
        result[key], i = _value(data, _skip(data, i + 1))
        i = _skip(data, i)
        if i < len(data) and data[i] == _COMMA:
            i = _skip(data, i + 1)
        elif i < len(data) and data[i] == _CLOSE_OBJECT:
            return result, i + 1
        else:
            raise ValueError("expected ',' or '}' at " + str(i))


def _array(data: bytes, i: int) -> "tuple[list[Any], int]":
    result: "list[Any]" = []
    i = _skip(data, i)
    if i < len(data) and data[i] == _CLOSE_ARRAY:
        return result, i + 1
    while True:
        value, i = _value(data, i)
        result.append(value)
        i = _skip(data, i)
        if i < len(data) and data[i] == _COMMA:
            i = _skip(data, i + 1)
        elif i < len(data) and data[i] == _CLOSE_ARRAY:
            return result, i + 1
        else:
            raise ValueError("expected ',' or ']' at " + str(i))


def pairs(mapping: object) -> "list[tuple[Any, Any]]":
    """[(key, value), ...] of a JSON object in its order; [] for anything that is not an object."""
    if not isinstance(mapping, dict):
        return []
    return [(key, mapping[key]) for key in mapping]


def obj(items: "Iterable[tuple[str, Any]]") -> "OrderedDict[str, Any]":
    """An OrderedDict from (key, value) pairs: a JSON object written in that order."""
    result: "OrderedDict[str, Any]" = OrderedDict()
    for key, value in items:
        result[key] = value
    return result
