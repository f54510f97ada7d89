"""The README's library example, run as written (only the Looker URLs, the client id and paths swapped):
it signs in and shows the query's rows on the page, through PyScript as written and through the lean loader
(the loader's src swapped, as the README says)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drive import looker_login

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("loader", ["pyscript", "lean"])
def test_readme_example_signs_in_and_shows_rows(page, site, looker, loader):
    readme = (ROOT / "README.md").read_text()
    example = re.search(r"```html\n(.*?)```", readme, re.S).group(1)
    assert len(example.strip().splitlines()) <= 18
    page_html = (example
                 .replace("https://example.looker.com:19999", looker.api_url)
                 .replace("https://example.looker.com", looker.ui_url)
                 .replace('"my-app"', '"readme-example"')
                 .replace('src="vendor/', 'src="/static/vendor/')
                 .replace('src="looker_pkce/assets/', 'src="/py/looker_pkce/assets/')
                 .replace('config="pyscript.toml"', 'config="./readme.toml"'))
    assert page_html.count('src="/static/vendor/pyscript/core.js"') == 1
    if loader == "lean":
        page_html = page_html.replace('src="/static/vendor/pyscript/core.js"', 'src="/py/looker_pkce/assets/boot.js"')
    target = ROOT / "build" / "pages" / f"readme-{loader}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("<!doctype html>\n<meta charset=utf-8>\n" + page_html)
    # the config `looker-pkce new` would write; [files] comes from what the example's code imports
    code = re.search(r'<script type="mpy"[^>]*>(.*?)</script>', example, re.S).group(1)
    (target.parent / "readme_code.py").write_text(code)
    (target.parent / "readme.toml").write_text('interpreter = "/static/vendor/micropython/micropython.mjs"\n'
                                               '[looker_pkce]\nentries = ["./readme_code.py"]\n')
    looker.register_app("readme-example", f"{site.origin}/build/pages/readme-{loader}.html")

    page.goto(f"{site.origin}/build/pages/readme-{loader}.html")
    page.wait_for_selector("#login-email")  # not signed in: the example sent us to Looker
    looker_login(page)
    page.click("#approve")  # back on the example page, signed in: it queries and shows the rows
    page.wait_for_selector("#table .grid-row")
    # no field metadata in the example: the library's rules label columns as Looker does by default
    assert page.locator("#table .grid-header .grid-cell").all_inner_texts() == ["State", "Count"]
    assert page.locator("#table .grid-row").count() >= 5
