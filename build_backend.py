"""The package's build backend: setuptools', except that a wheel is never built without the runtime it
carries (`looker-pkce new` copies MicroPython and PyScript out of it). The runtime is vendored by
`make setup` (scripts/vendor.py), not kept in git, so a wheel built from a fresh clone would otherwise
install fine and fail only at `looker-pkce new`."""

from pathlib import Path

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F403  (the rest of the backend, as setuptools has it)

RUNTIME = Path(__file__).resolve().parent / "py" / "looker_pkce" / "runtime"
CARRIED = ("micropython/micropython.mjs", "micropython/micropython.wasm", "pyscript/core.js")  # the first few


def missing_runtime() -> list[str]:
    return [name for name in CARRIED if not (RUNTIME / name).is_file()]


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    missing = missing_runtime()
    if missing:
        raise SystemExit(f"looker-pkce: the wheel would lack the runtime it carries ({', '.join(missing)} under "
                         f"{RUNTIME}): run `make setup` in this checkout first, then build the wheel again.")
    return build_meta.build_wheel(wheel_directory, config_settings, metadata_directory)
