"""core/errors.py: one exception hierarchy, whose messages say what happened and what to do next."""

import pytest

from looker_pkce.core import errors


@pytest.mark.parametrize("cls, parents", [
    (errors.ConfigError, [errors.LookerError]),
    (errors.Framed, [errors.LookerError]),
    (errors.AccessDenied, [errors.AuthError, errors.LookerError]),
    (errors.AuthorizationError, [errors.AuthError]),
    (errors.StateMismatch, [errors.AuthError]),
    (errors.InvalidGrant, [errors.AuthError]),
    (errors.SignedOut, [errors.AuthError]),
    (errors.NotFound, [errors.ApiError, errors.LookerError]),
    (errors.Forbidden, [errors.ApiError]),
    (errors.RateLimited, [errors.ApiError]),
    (errors.ServerError, [errors.ApiError]),
    (errors.CorsError, [errors.NetworkError, errors.LookerError]),
    (errors.Timeout, [errors.NetworkError]),
    (errors.DecodeError, [errors.LookerError]),
])
def test_every_failure_is_a_looker_error_of_its_kind(cls, parents):
    assert all(issubclass(cls, parent) for parent in parents)


def test_a_refused_sign_in_names_lookers_error_and_what_to_check():
    refused = errors.AuthorizationError("unauthorized_client", "unknown redirect")
    assert (refused.error, refused.description) == ("unauthorized_client", "unknown redirect")
    assert str(refused) == ("Looker refused the sign-in (unauthorized_client): unknown redirect. Check the OAuth client "
                            "app registration (client id, redirect URI).")
    bare = errors.AuthorizationError("server_error")
    assert bare.description == ""
    assert str(bare) == ("Looker refused the sign-in (server_error). Check the OAuth client app registration "
                         "(client id, redirect URI).")


def test_an_api_error_carries_lookers_explanation_field_by_field():
    error = errors.ApiError(422, "Validation Failed", "https://docs/422",
                            [{"field": "title", "message": "is taken"}, {"message": "no field"}, {"field": "id"}, "plain"],
                            "POST", "/looks")
    assert (error.status, error.message, error.documentation_url, error.method, error.path) == (
        422, "Validation Failed", "https://docs/422", "POST", "/looks")
    assert len(error.errors) == 4
    assert str(error) == ("POST /looks failed with 422: Validation Failed\n  title: is taken\n  no field\n  id: \n  plain"
                          "\n  see https://docs/422")


def test_an_api_error_without_details_is_one_line():
    error = errors.ApiError(500, "boom")
    assert error.errors == [] and error.documentation_url == "" and error.method == "" and error.path == ""
    assert str(error) == "  failed with 500: boom"
    assert str(errors.NotFound(404, "Not found", method="GET", path="/looks/9")) == "GET /looks/9 failed with 404: Not found"


def test_a_cors_refusal_says_which_origin_to_allow_and_where():
    error = errors.CorsError("https://app.example", "https://looker.example:19999/api/4.0/user")
    assert (error.page_origin, error.api_url) == ("https://app.example", "https://looker.example:19999/api/4.0/user")
    assert str(error) == (
        "The browser refused the call to https://looker.example:19999/api/4.0/user from https://app.example (CORS). "
        "Add https://app.example to Looker's embedded domain allowlist (Admin > Platform > Embed > Embedded Domain "
        "Allowlist) and check the API URL.")
