"""Where a person's scratchpad code failed, in words, pure: the wrapper that lets its top level
`await`, the line of their code an error happened on (both interpreters' tracebacks), and a short
description instead of a raw traceback. Runs the same on CPython, Pyodide and MicroPython; unit-tested
on CPython and MicroPython (app/user_code.py runs the code).
"""

import io
import sys

from looker_pkce.core.errors import LookerError

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any

ENTRY = "__scratchpad__"
SOURCE = "<string>"  # the file name exec() gives the code on both interpreters


def wrap(code: str) -> str:
    """The code as the body of `async def __scratchpad__()` (its line n becomes line n + 1)."""
    lines = code.replace("\r\n", "\n").replace("\t", "    ").split("\n")
    return "async def " + ENTRY + "():\n" + "\n".join("    " + line for line in lines) + "\n    pass\n"


def traceback_text(exc: BaseException) -> str:
    buffer = io.StringIO()
    if hasattr(sys, "print_exception"):  # MicroPython
        sys.print_exception(exc, buffer)
    else:
        import traceback
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=buffer)
    return buffer.getvalue()


def error_line(exc: BaseException, line_count: int) -> "int | None":
    """The line of the person's code the error happened on (the innermost frame in it), or None."""
    line = None
    lineno = getattr(exc, "lineno", None)  # CPython's SyntaxError
    if isinstance(lineno, int):
        line = lineno
    marker = 'File "' + SOURCE + '", line '
    for text in traceback_text(exc).split("\n"):
        if marker in text:
            digits = text.split(marker, 1)[1].split(",")[0].strip()
            if digits.isdigit():
                line = int(digits)
    if line is None:
        return None
    line -= 1  # the wrapper's own first line
    return line if 1 <= line <= line_count else None


def describe(exc: BaseException, line_count: int) -> "dict[str, Any]":
    """{"type", "message", "line"}: the library's own message for a LookerError."""
    message = str(exc)
    if isinstance(exc, SyntaxError) and not message:
        message = "invalid syntax"
    if isinstance(exc, KeyError):  # repr: MicroPython's str() of a KeyError drops the key's quotes
        message = "no key " + (repr(exc.args[0]) if exc.args else message) + " in that dict"
    return {"type": type(exc).__name__, "message": message, "line": error_line(exc, line_count),
            "looker": isinstance(exc, LookerError)}
