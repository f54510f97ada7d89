# Pyodide (mypy only: CPython has none): the modules the library imports, as far as it uses them.
