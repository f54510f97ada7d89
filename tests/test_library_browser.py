"""The library in real Chromium, on both interpreters, against the local Looker on another origin."""

from __future__ import annotations

import json

import pytest
import requests

from browser import open_harness, result, scenario, sign_in

INTERPRETERS = ["mpy", "py"]


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_sign_in_call_reload_sign_out(page, site, looker, interp):
    boot = sign_in(page, site, interp)
    assert boot == {"signed_in": True, "interpreter": interp}
    # code and state are gone from the address bar and from history
    assert "code=" not in page.url and "state=" not in page.url
    assert page.evaluate("history.length") >= 1
    assert scenario(page, "me") == {"ok": "admin@example.com"}

    # reload keeps the session (per-tab sessionStorage)
    page.reload()
    assert result(page, "boot", 60_000) == {"signed_in": True, "interpreter": interp}
    assert scenario(page, "me") == {"ok": "admin@example.com"}

    # no token in URL, localStorage or the console; it lives only in sessionStorage
    stored = page.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")
    token = json.loads(json.loads(stored)[f"looker_pkce:tests-{interp}:tokens"])["access_token"]
    assert token not in page.url
    assert page.evaluate("JSON.stringify(Object.assign({}, localStorage))") == "{}"
    assert not [line for line in page.console_lines if token in line]

    # sign-out revokes at Looker: the old token now gets 401 from the server
    assert scenario(page, "sign_out") == {"ok": {"signed_in": False}}
    answer = requests.get(looker.api_url + "/api/4.0/user", headers={"Authorization": "Bearer " + token})
    assert answer.status_code == 401
