"""The official TypeScript browser SDK (its OAuthSession) signs in to the local Looker and calls me()."""

from __future__ import annotations

import subprocess
from pathlib import Path

from drive import DEMO_EMAIL, looker_login

ROOT = Path(__file__).resolve().parents[2]


def test_official_ts_oauth_session_signs_in_and_calls_me(page, site, looker):
    bundle = ROOT / "build" / "pages" / "ts-sdk-bundle.js"
    bundle.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(ROOT / "node_modules" / ".bin" / "esbuild"), str(ROOT / "tests" / "pages" / "ts-sdk-entry.js"),
                    "--bundle", "--format=iife", "--log-level=warning", f"--outfile={bundle}"], check=True, cwd=ROOT)
    page_url = f"{site.origin}/tests/pages/ts-sdk.html"
    looker.register_app("tests-ts-sdk", page_url)
    page.goto(page_url)
    page.wait_for_selector("#login-email, #approve")
    looker_login(page)
    page.wait_for_selector("#approve")
    page.click("#approve")
    page.wait_for_selector("body[data-email], body[data-error]", state="attached")
    assert page.evaluate("document.body.dataset.error") is None, page.evaluate("document.body.dataset.error")
    assert page.evaluate("document.body.dataset.email") == DEMO_EMAIL
    assert page.evaluate("[document.body.dataset.idType, document.body.dataset.roleIdType]") == ["string", "string"]
