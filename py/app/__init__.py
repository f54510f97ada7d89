"""The reference app: a zero-backend Looker workbench on looker_pkce (runs on MicroPython)."""
