"""core/compat.py: what MicroPython's standard library lacks (hashes, base64url, URLs), written once."""

import hashlib
import os
import time

import pytest

from looker_pkce.core import compat


def test_random_bytes_is_the_operating_systems_csprng_where_there_is_one():
    assert compat.random_bytes is os.urandom


def test_now_is_seconds_since_the_epoch():
    before = time.time()
    assert before <= compat.now() <= time.time()


def test_sha256_and_its_hex_digest():
    assert compat.sha256(b"abc") == hashlib.sha256(b"abc").digest()
    assert compat.hex_digest(compat.sha256(b"abc")) == hashlib.sha256(b"abc").hexdigest()
    assert compat.hex_digest(b"\x00\xff") == "00ff"


@pytest.mark.parametrize("data, unpadded", [
    (b"", ""), (b"f", "Zg"), (b"fo", "Zm8"), (b"foo", "Zm9v"), (b"\xfb\xff", "-_8"), (b"\xff\xfe\xfd\xfc", "__79_A"),
    (b"\x00\x00\x17", "AAAX"),
])
def test_base64url_uses_dash_and_underscore_and_drops_padding_unless_asked(data, unpadded):
    assert compat.b64url(data) == unpadded
    assert compat.b64url(data, pad=True) == unpadded + "=" * (-len(unpadded) % 4)


def test_quote_keeps_only_rfc3986_unreserved_characters():
    unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    assert compat.quote(unreserved) == unreserved
    assert compat.quote(" /?#&=+%é") == "%20%2F%3F%23%26%3D%2B%25%C3%A9"
    assert compat.quote("") == ""


@pytest.mark.parametrize("text, plain", [
    ("a+b", "a b"), ("%2Fx%2f", "/x/"), ("%C3%A9t%C3%A9", "été"), ("100%", "100%"), ("%zz", "%zz"), ("%4", "%4"),
    ("%", "%"), ("a%2", "a%2"), ("%XX", "%XX"), ("%41%42", "AB"), ("", ""),
])
def test_unquote_undoes_percent_encoding_and_reads_plus_as_a_space(text, plain):
    assert compat.unquote(text) == plain


def test_urlencode_leaves_out_none_repeats_lists_and_writes_booleans_as_json_does():
    params = {"a": "x y", "skip": None, "b": [1, 2], "c": ("u",), "t": True, "f": False, "k&": "v=", "n": 0}
    assert compat.urlencode(params) == "a=x%20y&b=1&b=2&c=u&t=true&f=false&k%26=v%3D&n=0"
    assert compat.urlencode({}) == ""


def test_parse_query_takes_the_first_of_repeated_keys_and_skips_empty_parts():
    assert compat.parse_query("?a=1&&b=x+y&a=2&c&d=%3D") == {"a": "1", "b": "x y", "c": "", "d": "="}
    assert compat.parse_query("") == {}
    assert compat.parse_query("a%20b=1") == {"a b": "1"}
    assert compat.parse_query("x=a?b") == {"x": "a?b"}  # only a leading "?" is dropped


@pytest.mark.parametrize("url, parts", [
    ("https://h/p?q=1#f", ("https://h/p", "q=1", "f")),
    ("https://h/p#f?x", ("https://h/p", "", "f?x")),
    ("https://h/p", ("https://h/p", "", "")),
    ("/p?a=b?c", ("/p", "a=b?c", "")),
])
def test_split_url_gives_base_query_and_fragment(url, parts):
    assert compat.split_url(url) == parts


@pytest.mark.parametrize("url, origin", [
    ("HTTPS://Looker.Example.COM:19999/api/4.0?x#y", "https://looker.example.com:19999"),
    ("https://h?x=/y", "https://h"),
    ("https://h#/y", "https://h"),
    ("https://h/sign-in?next=http://other/", "https://h"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("/relative/path", ""),
    ("://no-scheme", ""),
    ("", ""),
])
def test_an_origin_is_lower_case_scheme_and_host_and_nothing_else(url, origin):
    assert compat.origin_of(url) == origin
