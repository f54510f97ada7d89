"""Copy exactly what the page loads into static/vendor/ and write a manifest.

Sources are the pinned npm packages in node_modules/, the pinned
pure-Python wheels in requirements-browser.txt, and Brython's runtime from
its PyPI package pinned in requirements.txt (the benchmark's Brython page). The MicroPython page runtime
(what `looker-pkce new` copies) also goes into py/looker_pkce/runtime/, the
wheel's package data. Run it again and it only
re-copies what changed; the manifest records name, version and sha256 of
every file so a deploy can be checked against it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

from looker_pkce.cli.runtime import PACKAGED, runtime_files

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
NODE = ROOT / "node_modules"

# npm package -> (files or globs inside it, destination folder under vendor/)
NPM_FILES = {
    "@pyscript/core": (["dist/*.js", "dist/*.css"], "pyscript"),
    "pyodide": (
        ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"],
        "pyodide",
    ),
    "@micropython/micropython-webassembly-pyscript": (["micropython.mjs", "micropython.wasm"], "micropython"),
    "chart.js": (["dist/chart.umd.min.js"], "chartjs"),
}


def fail(message: str) -> None:
    print(f"vendor: {message}", file=sys.stderr)
    sys.exit(1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_if_changed(src: Path, dest: Path) -> None:
    if dest.exists() and dest.stat().st_size == src.stat().st_size and sha256(dest) == sha256(src):
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def vendor_npm(manifest: list[dict]) -> None:
    for package, (patterns, folder) in NPM_FILES.items():
        package_dir = NODE / package
        if not (package_dir / "package.json").exists():
            fail(f"{package} is not in node_modules/ — run `npm ci` first (needs the npm registry).")
        version = json.loads((package_dir / "package.json").read_text())["version"]
        for pattern in patterns:
            matches = sorted(package_dir.glob(pattern))
            if not matches:
                fail(f"{package}@{version} has no file matching {pattern!r}; was the pin changed?")
            for src in matches:
                dest = VENDOR / folder / src.name
                copy_if_changed(src, dest)
                manifest.append(
                    {"name": package, "version": version, "file": str(dest.relative_to(ROOT)), "sha256": sha256(dest)}
                )


# PyPI package installed in .venv (requirements.txt) -> (files inside its package folder, destination folder)
PYPI_FILES = {"brython": (["data/brython.js"], "brython")}


def vendor_pypi(manifest: list[dict]) -> None:
    for package, (names, folder) in PYPI_FILES.items():
        try:
            version = importlib.metadata.version(package)
            where = Path(importlib.util.find_spec(package).origin).parent
        except (importlib.metadata.PackageNotFoundError, AttributeError):
            fail(f"{package} is not installed in .venv — run `make setup` (it is pinned in requirements.txt).")
        for name in names:
            src = where / name
            if not src.is_file():
                fail(f"{package}=={version} has no {name}; was the pin changed?")
            dest = VENDOR / folder / src.name
            copy_if_changed(src, dest)
            manifest.append({"name": package, "version": version, "file": str(dest.relative_to(ROOT)),
                             "sha256": sha256(dest)})


def vendor_wheels(manifest: list[dict]) -> None:
    wheels = VENDOR / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    pins = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements-browser.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    wanted = {pin.split("==")[0].lower().replace("-", "_"): pin.split("==")[1] for pin in pins}
    have = {p.name.split("-")[0].lower(): p for p in wheels.glob("*.whl")}
    if any(name not in have or f"-{version}-" not in have[name].name for name, version in wanted.items()):
        command = [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
            "--python-version", "3.14", "--platform", "any", "--implementation", "py", "--abi", "none",
            "--dest", str(wheels), *pins,
        ]
        if subprocess.run(command).returncode != 0:
            fail("pip could not download the browser wheels in requirements-browser.txt — is PyPI reachable?")
        have = {p.name.split("-")[0].lower(): p for p in wheels.glob("*.whl")}
    for name, path in sorted(have.items()):
        if name not in wanted or f"-{wanted[name]}-" not in path.name:
            path.unlink()  # a wheel from an older pin
            continue
        manifest.append(
            {"name": name, "version": wanted[name], "file": str(path.relative_to(ROOT)), "sha256": sha256(path)}
        )


def package_runtime() -> None:
    """The MicroPython runtime the wheel carries, exactly the files such a page loads."""
    wanted = set(runtime_files(VENDOR, ["mpy"]))
    for stale in [p for p in PACKAGED.rglob("*") if p.is_file() and str(p.relative_to(PACKAGED)) not in wanted]:
        stale.unlink()
    for name in sorted(wanted):
        copy_if_changed(VENDOR / name, PACKAGED / name)


def vendor_runtime() -> None:
    """The npm part only, and the runtime the wheel carries: what the build backend needs (build_backend.py)."""
    vendor_npm([])
    package_runtime()


def main() -> None:
    manifest: list[dict] = []
    vendor_npm(manifest)
    vendor_pypi(manifest)
    vendor_wheels(manifest)
    package_runtime()
    (VENDOR / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    size = sum((ROOT / entry["file"]).stat().st_size for entry in manifest)
    print(f"vendor: {len(manifest)} files, {size / 1e6:.1f} MB in static/vendor/")


if __name__ == "__main__":
    main()
