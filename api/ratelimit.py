"""Rate limiting as Mattermost configures it (RateLimitSettings).

A token bucket per caller: PerSec requests a second, bursts up to MaxBurst.
The caller is told apart by remote address (VaryByRemoteAddr), by user
(VaryByUser), and/or by a header (VaryByHeader); at most MemoryStoreSize
buckets are kept (least recently used dropped). Every limited response carries
X-Ratelimit-Limit, X-Ratelimit-Remaining and X-Ratelimit-Reset (seconds until a
request is allowed again); an exhausted bucket answers 429 with the plain text
"limit exceeded", as Mattermost does. Login has its own stricter bucket per
remote address, always on: Mattermost's 5 a second with bursts of 10
(PythonSettings.LoginRateLimitPerSec and LoginRateLimitMaxBurst).

Buckets live in each worker process, as Mattermost's live in each server.
"""
import collections
import math
import threading
import time

LOGIN_PER_SEC = 5
LOGIN_MAX_BURST = 10


class Limiter:
    def __init__(self, per_sec, max_burst, size):
        self.rate = float(max(per_sec, 1))
        self.capacity = float(max(max_burst, 1))
        self.size = max(int(size), 1)
        self._buckets = collections.OrderedDict()
        self._lock = threading.Lock()

    def take(self, key):
        """(allowed, remaining, seconds until the next request is allowed)."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            allowed = tokens >= 1
            if allowed:
                tokens -= 1
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.size:
                self._buckets.popitem(last=False)
        reset = 0 if tokens >= 1 else math.ceil((1 - tokens) / self.rate)
        return allowed, int(tokens), reset


def key_for(settings, request, user_id):
    parts = []
    if settings["VaryByRemoteAddr"]:
        forwarded = request.headers.get("X-Forwarded-For", "")
        parts.append(forwarded.split(",")[0].strip() or request.remote_addr or "")
    if settings["VaryByUser"] and user_id:
        parts.append(user_id)
    if settings["VaryByHeader"]:
        parts.append(request.headers.get(settings["VaryByHeader"], ""))
    return "|".join(parts)
