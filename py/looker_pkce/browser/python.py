"""Python added to the page after start-up (a <script type="py|mpy">), through the page guard."""

import js

from .bridge import defined

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from .bridge import JsValue


def add_python(src: str, interpreter: str = "py", config: "str | None" = None) -> "JsValue":
    """Add a <script type="py|mpy"> to the page after start-up: the one way the page guard
    (assets/guard.js) lets Python added later run. On a lean-loader page (assets/boot.js, whose
    config names PyScript's core.js as [looker_pkce] pyscript) this starts PyScript too. Returns the element."""
    guard = getattr(js.window, "lookerPkceGuard", None)
    guard = guard if defined(guard) else None
    script = js.document.createElement("script")
    script.type = interpreter
    script.setAttribute("src", guard.scriptURL(src) if guard is not None else src)  # a Trusted Types sink
    if config:
        script.setAttribute("config", config)
    if guard is not None:
        guard.allow(script)
    js.document.body.append(script)
    start = getattr(js.window, "lookerPkceStartPyScript", None)
    if defined(start):  # a lean-loader page: PyScript starts now, and runs the script just added
        start()
    return script
