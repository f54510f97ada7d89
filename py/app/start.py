# Entry point for index.html's <script type="mpy">.
from app.main import main

await main()
