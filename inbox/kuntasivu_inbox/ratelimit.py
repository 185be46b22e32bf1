"""Per-client rate limit in memory. Clients are keyed by an HMAC of their address; the address
itself is never kept, not even here."""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time

from .errors import Refusal


class RateLimited(Refusal):
    status_code = 429


class RateLimiter:
    """At most `limit` hits per client in each fixed window of `window` seconds; 0 = off."""

    def __init__(self, limit: int, window: float, secret: bytes) -> None:
        self.limit = limit
        self.window = window
        self.secret = secret
        self._hits: dict[bytes, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def key(self, client: str | None) -> bytes:
        return hmac.new(self.secret, (client or "").encode(), hashlib.sha256).digest()[:16]

    def hit(self, client: str | None, now: float | None = None) -> None:
        limited = self.over(client, now)
        if limited is not None:
            raise limited

    def over(self, client: str | None, now: float | None = None) -> RateLimited | None:
        """Count a hit; the refusal to raise when the client is over the limit."""
        if self.limit <= 0:
            return None
        now = time.monotonic() if now is None else now
        key = self.key(client)
        with self._lock:
            if len(self._hits) > 10000:
                self._hits = {k: v for k, v in self._hits.items() if now - v[0] < self.window}
            start, count = self._hits.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            if count >= self.limit:
                retry = max(1, math.ceil(start + self.window - now))
                return RateLimited(
                    f"Too many submissions: the limit is {self.limit} in {self.window:g} seconds.",
                    headers={"Retry-After": str(retry)},
                )
            self._hits[key] = (start, count + 1)
        return None
