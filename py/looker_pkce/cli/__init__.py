"""`looker-pkce`: from a Looker instance to a published static page (host side; never loaded by a browser).

    looker-pkce new DIR [--api-url URL] [--ui-url URL] [--pyscript | --pyodide --runtime-from VENDOR]
                                              a small working page: sign in, a query as a table and a chart
    looker-pkce register PAGE_URL --client-id ID [--page DIR] [--dry-run]
                                              the OAuth client app and the embed allowlist, with admin credentials
    looker-pkce doctor PAGE_URL               everything the page needs from Looker, from the page's point of view
    looker-pkce build [DIR] [--out dist]      a deployable static site: SRI, CSP, precompressed, cache-busted
    looker-pkce serve [DIST] [--port N]       preview a build as a static host would serve it (honours _headers)
"""

from __future__ import annotations

import argparse
import sys

import looker_pkce

from . import build, doctor, new, register, serve
from .errors import CommandError

COMMANDS = {"new": new, "register": register, "doctor": doctor, "build": build, "serve": serve}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="looker-pkce", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"looker-pkce {looker_pkce.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        sub = commands.add_parser(name, help=module.__doc__.splitlines()[0], description=module.__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except (CommandError, ValueError) as problem:
        print(f"looker-pkce {args.command}: {problem}", file=sys.stderr)
        return 2
    except OSError as problem:  # what the file system refused (a missing file, permissions, a full disk)
        told = f"{problem.filename}: {problem.strerror}" if problem.filename and problem.strerror else problem
        print(f"looker-pkce {args.command}: {told}", file=sys.stderr)
        return 2


def entry() -> None:
    sys.exit(main())
