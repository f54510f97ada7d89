"""Run the official Looker Python SDK's integration suite against the local Looker (issue #20).

    python -m scripts.official_suite /tmp/sdkcodegen

The argument is a copy of looker-open-source/sdk-codegen at commit c2bf549b holding at least
`python/tests/` and `test/data.yml`; leave its `python/looker_sdk/` out, so the suite imports the
project's looker_sdk (requirements.txt), not the checkout's. The suite is not part of this project
and nothing of it is copied here. It also needs pyyaml and pillow, which this script installs with pip
into build/official-suite-deps (never into .venv). It starts a local Looker that checks every answer
against the spec, writes the looker.ini the suite reads (the demo admin's API credentials), gives the
instance the ten dashboards the suite's System Activity queries expect (they ask for 10 rows), runs
python/tests/integration/test_methods.py and exits with pytest's status. docs/OFFICIAL_SUITE.md
has the last result and why each test that does not pass does not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from local_looker.process import ROOT, LocalLooker, free_port

DEPS = ROOT / "build" / "official-suite-deps"
SUITE_PACKAGES = ["pyyaml==6.0.4", "pillow==13.0.0"]  # what the suite imports beyond pytest and looker_sdk
DASHBOARDS = 10  # rows its System Activity queries count (`limit: '10'` in test/data.yml)


def install_deps() -> None:
    if not (DEPS / "yaml").is_dir() or not (DEPS / "PIL").is_dir():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(DEPS), *SUITE_PACKAGES],
                       check=True)


def enough_dashboards(looker: LocalLooker) -> None:
    have = len(looker.api("GET", "dashboards").json())
    for n in range(have, DASHBOARDS):
        looker.api("POST", "dashboards", json={"title": f"Suite dashboard {n + 1}", "folder_id": "1"}).raise_for_status()


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "python" / "tests" / "integration" / "test_methods.py").is_file():
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    checkout = Path(argv[0]).resolve()
    if (checkout / "python" / "looker_sdk").exists():
        print(f"{checkout / 'python' / 'looker_sdk'} would shadow the project's looker_sdk: remove it", file=sys.stderr)
        return 2
    install_deps()
    looker = LocalLooker(free_port(), free_port(), "http://127.0.0.1:9", env={"LOOKER_VALIDATE_RESPONSES": "1"})
    try:
        enough_dashboards(looker)
        ini = ROOT / "build" / "official-suite.ini"
        ini.write_text(f"[Looker]\nbase_url={looker.api_url}\nclient_id=demo-admin-id\n"
                       "client_secret=demo-admin-secret\nverify_ssl=False\ntimeout=120\n")
        env = {**os.environ, "LOOKERSDK_INI": str(ini), "PYTHONPATH": str(DEPS)}
        status = subprocess.run([sys.executable, "-m", "pytest", "tests/integration/test_methods.py",
                                 "-p", "no:cacheprovider", "-q", "-rfEs"], cwd=checkout / "python", env=env).returncode
        violations = looker.local("GET", "violations")
        print(f"spec violations in the local Looker's answers: {len(violations)}", *violations[:10], sep="\n")
        return status or (1 if violations else 0)
    finally:
        looker.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
