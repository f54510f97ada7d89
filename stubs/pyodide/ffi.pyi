# pyodide.ffi as the library uses it (mypy only): proxies for callbacks, and running a coroutine from
# synchronous code where JSPI lets Pyodide suspend it (sdk/sync.py).
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

def create_proxy(function: Callable[..., Any]) -> Any: ...
def can_run_sync() -> bool: ...
def run_sync(awaitable: Awaitable[T]) -> T: ...
