# The browser's JavaScript globals as Pyodide's and MicroPython's `js` module hands them to Python (mypy only:
# CPython has no `js`). Every name is a JavaScript value of any shape; browser/bridge.py says how they cross.
from typing import Any

def __getattr__(name: str) -> Any: ...
