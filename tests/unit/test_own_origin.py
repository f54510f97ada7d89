"""A page must have its origin to itself: `register` and `doctor` say when it may not (CPython, no server)."""

from __future__ import annotations

import pytest

from looker_pkce.cli.doctor import Context, check_own_origin
from looker_pkce.cli.register import shared_origin


@pytest.mark.parametrize("url,shared", [
    ("https://dash.example.com/", False),
    ("https://dash.example.com/index.html", False),
    ("http://127.0.0.1:8000/", False),
    ("https://you.github.io/", True),  # a user site: every project site of that user shares its origin
    ("https://you.github.io/dash/", True),
    ("https://group.gitlab.io/dash/index.html", True),
    ("https://you.codeberg.page/", True),
    ("https://storage.googleapis.com/bucket/index.html", True),
    ("https://s3.eu-west-1.amazonaws.com/bucket/", True),
    ("https://pages.example.com/team/dash/", True),  # a path below the root: other paths may be other sites
    ("https://github.io.example.com/", False),
])
def test_pages_that_may_share_their_origin_are_named(url, shared):
    assert (shared_origin(url) is not None) is shared


def test_doctor_warns_and_fails_a_claim_of_owning_a_shared_origin():
    ctx = Context("https://you.github.io/dash/", None)
    assert check_own_origin(ctx).status == "warn"
    ctx.settings = {"share_refresh_tokens": True}
    finding = check_own_origin(ctx)
    assert finding.status == "fail" and "share_refresh_tokens" in finding.message and "origin of its own" in finding.fix
    own = Context("https://dash.example.com/", None)
    own.settings = {"share_refresh_tokens": True}
    assert check_own_origin(own).status == "ok"
