# Entry point for index.html's <script type="mpy">.
from app.main import main

await main()  # noqa: F704 (PyScript runs this file with top-level await)
