"""The pure core: the OAuth + PKCE protocol, the session rules, Looker's messages and errors, and
the data rules (order, value formats, chart series). No `js`, no I/O, no clock or randomness of
its own: it runs and is tested in plain CPython, and runs unchanged on Pyodide and MicroPython.
`tests/unit/test_boundaries.py` fails when a module here imports `js`, `pyodide` or a host library.
"""
