"""Looker's query results cache: an identical query (same body, format, row limit and day) asked again within
the hour is answered from the results kept, not run again, unless the call says `cache=false`.

Without it the local Looker spends ~85 ms of SQLite per small query on every call, and a batch of identical
queries measures this machine's cores instead of the network (the benchmark's concurrency section).
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict

KEEP_SECONDS = 3600  # Looker's default: results are reused for an hour
KEEP_BYTES = 64_000_000  # oldest results are dropped past this


class ResultsCache:
    def __init__(self, keep_seconds: float = KEEP_SECONDS, keep_bytes: int = KEEP_BYTES):
        self.keep_seconds, self.keep_bytes = keep_seconds, keep_bytes
        self.kept: OrderedDict[str, tuple[float, str, str]] = OrderedDict()  # key -> (when, content type, text)
        self.lock = threading.Lock()

    @staticmethod
    def key(body: dict, fmt: str, limit: int | None, today) -> str:
        return json.dumps([body, fmt, limit, today.isoformat()], sort_keys=True)

    def get(self, key: str) -> tuple[str, str] | None:
        with self.lock:
            found = self.kept.get(key)
            if found is None or time.monotonic() - found[0] > self.keep_seconds:
                return None
            self.kept.move_to_end(key)
            return found[1], found[2]

    def put(self, key: str, content_type: str, text: str) -> None:
        with self.lock:
            self.kept[key] = (time.monotonic(), content_type, text)
            self.kept.move_to_end(key)
            while sum(len(entry[2]) for entry in self.kept.values()) > self.keep_bytes and len(self.kept) > 1:
                self.kept.popitem(last=False)
