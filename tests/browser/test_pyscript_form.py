"""A page written in PyScript's form (tests/pages/pyscript-form-*.html: a <script type="mpy" src config>, a config
with [files] written by hand) runs on PyScript and on the lean loader alike; the two pages differ by their loader's
src only. The lean loader says on the console what it does not do, and when it starts PyScript on demand (for
Pyodide, as the app's API console does) PyScript does not run the page's MicroPython entry a second time."""

from __future__ import annotations

from pathlib import Path

PAGES = Path(__file__).resolve().parents[1] / "pages"
RAN = "ran 1 time(s); helper says hello"


def test_the_two_pages_differ_by_their_loader_only():
    pyscript, lean = ((PAGES / f"pyscript-form-{name}.html").read_text() for name in ("pyscript", "lean"))
    assert lean == pyscript.replace("/static/vendor/pyscript/core.js", "/py/looker_pkce/assets/boot.js")


def test_a_page_in_pyscript_form_runs_on_both_loaders(page, site, looker, browser_context):
    page.goto(f"{site.origin}/tests/pages/pyscript-form-pyscript.html")
    page.wait_for_function(f"document.getElementById('out').textContent === {RAN!r}", timeout=60_000)

    browser_context.requests_seen.clear()
    page.goto(f"{site.origin}/tests/pages/pyscript-form-lean.html")
    page.wait_for_function(f"document.getElementById('out').textContent === {RAN!r}", timeout=60_000)
    assert not [u for u in browser_context.requests_seen if "/pyscript/" in u]  # the lean loader alone
    assert any("pyscript_form_helper.py" in u for u in browser_context.requests_seen)  # [files], as PyScript reads it
    told = [line for line in page.console_lines if line.startswith("looker_pkce boot:")]
    assert told == ["looker_pkce boot: the config's `experimental_create_proxy` is a PyScript feature this loader "
                    "does not have (ignored; start the page with PyScript's core.js to use it)"]

    # Pyodide on demand, as looker_pkce.browser.add_python does it: a <script type="py">, then PyScript
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.type = "py";
        script.src = "./pyscript-form-py.py";
        document.body.append(script);
        window.lookerPkceStartPyScript();
    }""")
    page.wait_for_function("document.getElementById('py-out').textContent === 'Pyodide ran'", timeout=120_000)
    assert page.evaluate("window.entryRuns") == 1 and page.inner_text("#out") == RAN


TOML = '''# what PyScript configs write
interpreter = "./vendor/micropython/micropython.mjs"  # a comment
name = 'literal # not a comment'
sizes = [1_000, 2.5, true]
packages = [
  "a",  # one per line
  'b',
]
inline = { x = 1, "y z" = "w" }
[looker_pkce]
entries = ["./main.py"]
a.b = "dotted"
[files]
"{LIB}" = "./lib"
"./x.py" = "{LIB}/"
[[fetch]]
from = "one"
[[fetch]]
from = "two"
'''


def test_the_lean_loader_reads_toml_as_tomllib_does(tmp_path):
    """boot.js's small TOML reader, run under Node on PyScript-style configs (the repo's own and one with
    every form it reads), gives what Python's tomllib gives."""
    import json
    import subprocess
    import tomllib

    root = PAGES.parent.parent
    boot = root / "py" / "looker_pkce" / "assets" / "boot.js"
    configs = [TOML, *(path.read_text() for path in (root / "pyscript.toml", root / "pyscript-pyodide.toml",
                                                      PAGES / "pyscript-form.toml"))]
    script = ("const fs = require('fs');"
              "const source = fs.readFileSync(process.argv[1], 'utf8').replace(/^export const ready.*$/m, '');"
              "const parseToml = new Function(source + '; return parseToml;')();"
              "console.log(JSON.stringify(JSON.parse(process.argv[2]).map((text) => parseToml(text, 'test'))));")
    answer = subprocess.run(["node", "-e", script, str(boot), json.dumps(configs)], capture_output=True, text=True,
                            check=True)
    assert json.loads(answer.stdout) == [tomllib.loads(text) for text in configs]
