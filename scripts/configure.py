"""Point the page at a Looker instance: writes looker.json and the page's Content-Security-Policy.

    python scripts/configure.py --ui-url https://example.looker.com \\
        --api-url https://example.looker.com:19999 --client-id my-app

The CSP's connect-src lists exactly the page's own origin and the Looker hosts,
so the page can talk to nothing else.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSP_PATTERN = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')


def origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/')[0]}" if rest else ""


def csp(config: dict) -> str:
    hosts = sorted({origin(config[k]) for k in ("ui_url", "api_url") if config.get(k)})
    return ("default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self'; worker-src 'self' blob:; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; connect-src 'self' " + " ".join(hosts))


def with_csp(html: str, config: dict) -> str:
    """index.html with its CSP meta tag rewritten for `config`'s Looker hosts."""
    return CSP_PATTERN.sub(lambda m: m.group(1) + csp(config) + m.group(3), html, count=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ui-url", required=True, help="Looker UI URL, e.g. https://example.looker.com")
    parser.add_argument("--api-url", help="API URL (port 443 or 19999); blank to discover from /versions")
    parser.add_argument("--client-id", required=True, help="client_guid of the registered OAuth client app")
    args = parser.parse_args()
    config = {"ui_url": args.ui_url.rstrip("/"), "client_id": args.client_id}
    if args.api_url:
        config["api_url"] = args.api_url.rstrip("/")
    (ROOT / "looker.json").write_text(json.dumps(config, indent=2) + "\n")
    page = ROOT / "index.html"
    page.write_text(with_csp(page.read_text(), config))
    print(f"looker.json and index.html's CSP now point at {', '.join(sorted(set(map(origin, config.values()) - {''})))}")


if __name__ == "__main__":
    main()
