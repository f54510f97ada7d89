# MicroPython's webassembly port's bridge helpers (mypy only): the one browser/bridge.py imports.
from collections.abc import Callable
from typing import Any

def create_proxy(function: Callable[..., Any]) -> Any: ...
