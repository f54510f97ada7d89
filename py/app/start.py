# Entry point of index.html (the lean loader, assets/boot.js, runs it with top-level await).
from app.main import main

await main()
