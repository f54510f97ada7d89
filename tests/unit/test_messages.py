"""core/messages.py: requests and responses as plain values, and Looker's error answers as typed errors."""

import json

import pytest

from looker_pkce.core import errors
from looker_pkce.core.messages import Request, Response, api_error


def test_a_request_upper_cases_its_method_and_copies_its_headers():
    headers = {"Authorization": "Bearer t"}
    request = Request("get", "https://h/api/4.0/user", headers, "{}", "js-json")
    assert (request.method, request.url, request.body, request.keep) == ("GET", "https://h/api/4.0/user", "{}", "js-json")
    assert request.headers == headers and request.headers is not headers
    bare = Request("post", "https://h/x")
    assert (bare.headers, bare.body, bare.keep) == ({}, None, None)


def test_neither_a_request_nor_a_response_shows_its_headers_or_body_when_printed():
    request = Request("get", "https://h/api/4.0/user", {"Authorization": "Bearer secret-token"})
    assert repr(request) == "Request('GET', 'https://h/api/4.0/user')"
    response = Response(200, {"Content-Type": "application/json; charset=utf-8", "Set-Cookie": "s=secret"}, '{"t": 1}')
    assert repr(response) == "Response(200, 'application/json')"


def test_a_response_lower_cases_header_names_and_reads_the_content_type_without_parameters():
    response = Response(200, {"Content-Type": " Application/JSON ; charset=utf-8", "Retry-After": "3"})
    assert response.headers == {"content-type": " Application/JSON ; charset=utf-8", "retry-after": "3"}
    assert response.content_type == "application/json"
    assert Response(204).content_type == "" and Response(204).headers == {} and Response(204).body == b""


@pytest.mark.parametrize("body", ["é ok", "é ok".encode(), bytearray("é ok".encode())])
def test_a_body_reads_as_text_or_bytes_whatever_it_arrived_as(body):
    response = Response(200, {}, body)
    assert response.text() == "é ok"
    assert response.content() == "é ok".encode() and isinstance(response.content(), bytes)


def test_json_keeps_lookers_key_order_only_when_asked():
    response = Response(200, {"content-type": "application/json"}, '{"b": 1, "a": [true, null]}')
    assert response.json() == {"b": 1, "a": [True, None]}
    assert list(response.json(ordered=True)) == ["b", "a"]
    assert type(response.json()) is dict and type(response.json(ordered=True)) is not dict


@pytest.mark.parametrize("ordered", [False, True])
def test_malformed_json_says_what_looker_answered(ordered):
    response = Response(502, {"Content-Type": "text/html"}, "<html>")
    with pytest.raises(errors.DecodeError) as raised:
        response.json(ordered)
    assert str(raised.value) == "Looker answered 502 with malformed JSON (content-type text/html)."
    with pytest.raises(errors.DecodeError, match=r"^Looker answered 200 with malformed JSON \(content-type none\)\.$"):
        Response(200, {}, "{").json()


@pytest.mark.parametrize("content_type, body, decoded", [
    ("application/json; charset=utf-8", '{"a": 1}', {"a": 1}),
    ("application/vnd.looker+json", "[1]", [1]),
    ("application/json", "", None),
    ("text/csv", "a,b\n1,2", "a,b\n1,2"),
    ("text/plain", b"plain", "plain"),
    ("application/csv", "a,b", "a,b"),
    ("application/javascript", "x()", "x()"),
    ("image/png", b"\x89PNG", b"\x89PNG"),
    ("", "raw", b"raw"),
])
def test_an_answer_is_decoded_by_its_content_type(content_type, body, decoded):
    response = Response(200, {"content-type": content_type} if content_type else {}, body)
    assert response.decoded() == decoded and type(response.decoded()) is type(decoded)


def test_a_json_answer_decoded_ordered_keeps_lookers_order():
    response = Response(200, {"content-type": "application/json"}, '{"z": 1, "a": 2}')
    assert list(response.decoded(ordered=True)) == ["z", "a"] and type(response.decoded(ordered=True)) is not dict
    assert type(response.decoded()) is dict


def error_for(status, body, content_type="application/json"):
    text = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return api_error(Response(status, {"content-type": content_type}, text), "GET", "/looks/1")


@pytest.mark.parametrize("status, cls", [
    (400, errors.ApiError), (401, errors.ApiError), (403, errors.Forbidden), (404, errors.NotFound),
    (405, errors.ApiError), (422, errors.ApiError), (429, errors.RateLimited), (499, errors.ApiError),
    (500, errors.ServerError), (503, errors.ServerError),
])
def test_the_status_picks_the_error_class(status, cls):
    error = error_for(status, {"message": "m"})
    assert type(error) is cls and error.status == status and (error.method, error.path) == ("GET", "/looks/1")


def test_lookers_message_is_its_message_else_the_oauth_description_else_the_error_code():
    assert error_for(400, {"message": "m", "error_description": "d", "error": "e"}).message == "m"
    assert error_for(400, {"error_description": "d", "error": "e"}).message == "d"
    assert error_for(400, {"error": "invalid_request"}).message == "invalid_request"
    assert error_for(400, {"message": 42}).message == "42"


def test_an_error_keeps_lookers_documentation_link_and_field_errors():
    error = error_for(422, {"message": "Validation Failed", "documentation_url": "https://docs/422",
                            "errors": [{"field": "title", "message": "is taken"}]})
    assert error.documentation_url == "https://docs/422" and error.errors == [{"field": "title", "message": "is taken"}]
    bare = error_for(422, {"message": "Validation Failed", "documentation_url": None, "errors": None})
    assert bare.documentation_url == "" and bare.errors == []


@pytest.mark.parametrize("body, message", [
    ("Bad gateway from the proxy", "Bad gateway from the proxy"),
    ("x" * 300, "x" * 200),
    ("", "no detail"),
    ({"documentation_url": "https://docs"}, '{"documentation_url": "https://docs"}'),
    ('["not", "an", "object"]', '["not", "an", "object"]'),
    (b"binary", "no detail"),
])
def test_without_a_json_message_the_error_says_what_text_there_was_or_no_detail(body, message):
    error = error_for(502, body, "text/html")
    assert error.message == message
    assert str(error).startswith("GET /looks/1 failed with 502: " + message)


def test_an_error_answer_that_is_not_json_has_no_documentation_link_or_field_errors():
    error = error_for(502, "<html>Bad gateway</html>", "text/html")
    assert (error.documentation_url, error.errors) == ("", [])
