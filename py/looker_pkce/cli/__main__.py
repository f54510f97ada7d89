"""`python -m looker_pkce.cli` is `looker-pkce`."""

from . import entry

entry()
