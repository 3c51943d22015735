"""A global send rate shared by every worker: a token bucket kept in Redis.

Off unless ``EMAIL_RATE_PER_SECOND`` is set (and ``REDIS_URL`` names the Redis). The bucket
holds at most ``rate`` tokens (one second of burst); each email takes one. The refill and the
take happen in one Lua script, so concurrent workers never over-spend.
"""

from __future__ import annotations

import time
from functools import lru_cache

from django.conf import settings

BUCKET_KEY = "meridian:notifications:send-bucket"

# KEYS[1]: bucket; ARGV: rate per second, capacity. Returns the milliseconds to wait (0 = go).
_TAKE_SCRIPT = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now_ms
tokens = math.min(capacity, tokens + (now_ms - at) * rate / 1000)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now_ms)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
return wait
"""


class TokenBucket:
    def __init__(self, *, client, rate: float, key: str = BUCKET_KEY):
        self.rate = rate
        self.capacity = max(rate, 1.0)
        self.key = key
        self._take = client.register_script(_TAKE_SCRIPT)

    def try_take(self) -> float:
        """Take one token if there is one: 0.0, else the seconds until one will be there."""
        return int(self._take(keys=[self.key], args=[self.rate, self.capacity])) / 1000

    def take(self) -> None:
        """Take one token, waiting as long as the shared rate requires."""
        while (wait := self.try_take()) > 0:
            time.sleep(wait)


@lru_cache(maxsize=1)
def _client(url: str):
    import redis

    return redis.Redis.from_url(url)


def send_bucket() -> TokenBucket | None:
    """The shared bucket when a global rate is configured, else None (no limit)."""
    rate = settings.EMAIL_RATE_PER_SECOND
    if not rate or not settings.REDIS_URL:
        return None
    return TokenBucket(client=_client(settings.REDIS_URL), rate=rate)
