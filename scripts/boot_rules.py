"""Write session.LOADER_RULES into the lean loader (py/looker_pkce/assets/boot.js), so the list of
calls the loader may send again exists once, in core/session.py. `make boot-rules`; a test checks it."""

from __future__ import annotations

import re
from pathlib import Path

from looker_pkce.core import session

BOOT_JS = Path(__file__).resolve().parent.parent / "py" / "looker_pkce" / "assets" / "boot.js"
RULES_LINE = re.compile(r"^const RULES = .*;$", re.MULTILINE)


def main() -> None:
    text = BOOT_JS.read_text()
    if len(RULES_LINE.findall(text)) != 1:
        raise SystemExit(f"{BOOT_JS}: expected exactly one `const RULES = ...;` line")
    BOOT_JS.write_text(RULES_LINE.sub(lambda match: session.loader_rules_js(), text))


if __name__ == "__main__":
    main()
