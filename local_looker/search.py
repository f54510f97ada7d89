"""Looker's search rules, as the spec's search_* operations state them (e.g. search_users, search_looks):

- a string search param matches case-insensitively and whole: "Lloyd" finds "lloyd" but not "Lloyda";
- `%` and `_` in it are SQL LIKE wildcards (any run of characters, exactly one character);
- "IS NULL" and "NOT NULL" match a missing or empty value, and any other;
- an id param takes one value or a comma-separated list, any of which may match;
- several params combine with AND, or with OR when `filter_or=true`;
- `sorts` is a comma list of "field [asc|desc]".
Pure code; the handlers say which params are strings and which are ids (docs/REAL_LOOKER.md#search-syntax).
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=256)
def _like_regex(pattern: str) -> re.Pattern:
    parts = (".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def like(pattern: str, value) -> bool:
    """Whether `value` matches a Looker string search param."""
    text = "" if value is None else str(value)
    if pattern.upper() == "IS NULL":
        return text == ""
    if pattern.upper() == "NOT NULL":
        return text != ""
    return _like_regex(pattern).fullmatch(text) is not None


def one_of(listed: str, value) -> bool:
    """Whether `value` is one of an id param's comma-separated values."""
    return str(value) in {part.strip() for part in listed.split(",")}


def matching(items: list[dict], query, strings: tuple[str, ...], ids: tuple[str, ...] = ()) -> list[dict]:
    """The items the query's string and id params select (params it does not give select everything)."""
    tests = [(key, like) for key in strings if query.get(key)] + [(key, one_of) for key in ids if query.get(key)]
    if not tests:
        return list(items)
    combine = any if query.get("filter_or") == "true" else all
    return [item for item in items if combine(test(query[key], item.get(key)) for key, test in tests)]


def sort(items: list[dict], sorts: str | None) -> list[dict]:
    """Items in `sorts` order ("last_name, first_name desc"); numbers-as-text compare as numbers."""
    keys = [part.strip().split() for part in (sorts or "").split(",") if part.strip()]
    result = list(items)
    for field, *direction in reversed(keys):  # a stable sort, least significant key first
        result.sort(key=lambda item: _sort_key(item.get(field)),
                    reverse=bool(direction) and direction[0].lower() == "desc")
    return result


def _sort_key(value) -> tuple:
    text = "" if value is None else str(value)
    return (0, int(text), "") if re.fullmatch(r"-?\d{1,18}", text) else (1, 0, text.lower())
