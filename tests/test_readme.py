"""The README's ten-line example, run as written (only the Looker URLs and paths swapped)."""

from __future__ import annotations

import re
from pathlib import Path

from browser import looker_login

ROOT = Path(__file__).resolve().parent.parent


def test_readme_example_signs_in_and_queries(page, site, looker):
    readme = (ROOT / "README.md").read_text()
    example = re.search(r"```html\n(.*?)```", readme, re.S).group(1)
    assert len(example.strip().splitlines()) <= 14
    page_html = (example
                 .replace("https://example.looker.com:19999", looker.api_url)
                 .replace("https://example.looker.com", looker.ui_url)
                 .replace('"my-app"', '"readme-example"')
                 .replace('src="static/vendor/', 'src="/static/vendor/')
                 .replace('config="pyscript.toml"', 'config="/tests/pages/harness-mpy.toml"'))
    target = ROOT / "build" / "pages" / "readme.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("<!doctype html>\n<meta charset=utf-8>\n" + page_html)
    looker.register_app("readme-example", f"{site.origin}/build/pages/readme.html")

    page.goto(f"{site.origin}/build/pages/readme.html")
    page.wait_for_selector("#login-email")  # not signed in: the example sent us to Looker
    looker_login(page)
    with page.expect_console_message(lambda m: m.text.startswith("Ada Admin"), timeout=60_000) as printed:
        page.click("#approve")  # back on the example page, signed in: it queries and prints
    assert "'users.state'" in printed.value.text and "'users.count'" in printed.value.text
