"""The package's build backend: setuptools', which first lays out the browser runtime the wheel carries
(`looker-pkce new` copies MicroPython and the lean loader's page out of it) when it is not there yet.

The runtime is not kept in git: it comes from the pinned npm packages (package-lock.json). So, as
`make setup` does, a build from a fresh clone runs `npm ci` and the vendor step (scripts/vendor.py,
the npm part) before setuptools packs `py/looker_pkce/runtime/`; without npm it stops and says what to
install. The sdist carries the runtime it was built with (package data), so a wheel built from an sdist
needs no npm.
"""

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F403  (the rest of the backend, as setuptools has it)

ROOT = Path(__file__).resolve().parent
RUNTIME = ROOT / "py" / "looker_pkce" / "runtime"
CARRIED = ("micropython/micropython.mjs", "micropython/micropython.wasm", "pyscript/core.js")  # the first few


def missing_runtime() -> list[str]:
    return [name for name in CARRIED if not (RUNTIME / name).is_file()]


def lay_out_runtime() -> None:
    """`npm ci` (the pinned packages) and the vendor step, as `make setup` runs them; then the runtime is there."""
    if not missing_runtime():
        return
    if not (ROOT / "package-lock.json").is_file():
        raise SystemExit(f"looker-pkce: no runtime under {RUNTIME} and no package-lock.json to make it from: "
                         "build from a looker-pkce checkout or its sdist")
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("looker-pkce: building from source needs npm, to install the pinned browser runtime "
                         "(MicroPython, PyScript, Chart.js: package-lock.json): install Node.js and npm "
                         "(apt-get install nodejs npm), or install the looker-pkce wheel instead")
    print("looker-pkce: laying out the browser runtime (npm ci, scripts/vendor.py)", file=sys.stderr, flush=True)
    if subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT).returncode:
        raise SystemExit("looker-pkce: `npm ci` failed: is the npm registry reachable?")
    # the vendor step in a process of its own: it imports looker_pkce from py/, which this one must not keep
    vendor = subprocess.run([sys.executable, "-c", "import sys; sys.path[:0] = ['py', '.']; "
                             "from scripts.vendor import vendor_runtime; vendor_runtime()"], cwd=ROOT)
    if vendor.returncode or missing_runtime():
        raise SystemExit(f"looker-pkce: the vendor step did not lay out {', '.join(missing_runtime())} under {RUNTIME}")


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    lay_out_runtime()
    # setuptools copies the package into build/lib and never empties it: a module moved or deleted since the
    # last build would otherwise ship in this wheel too
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    return build_meta.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    lay_out_runtime()
    return build_meta.build_sdist(sdist_directory, config_settings)
