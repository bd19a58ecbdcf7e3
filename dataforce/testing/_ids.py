"""Identifiers, API keys and timestamps shaped like the live service's.

The service hands out UUIDv7 identifiers (time-ordered), ``dfs_`` API keys and ISO 8601
timestamps with microseconds and a ``Z`` suffix. The stand-in produces the same shapes so
that client code parsing them is exercised for real. Python 3.11 has no ``uuid.uuid7``,
hence the small generator here (RFC 9562, section 5.7, with the optional monotonic counter
of section 6.2 so that IDs made within one millisecond still sort in creation order).

With a seed everything here is reproducible: the random bits come from a seeded
:class:`random.Random` and time comes from a fake clock that advances one millisecond per
reading, so two servers built with the same seed hand out the same IDs, key and timestamps.
"""

from __future__ import annotations

import base64
import random
import uuid
from datetime import UTC, datetime, timedelta

__all__ = ["Clock", "IdFactory", "format_timestamp"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The fake clock starts at the moment used by the service's documentation examples.
_FAKE_START = datetime(2025, 5, 21, 19, 35, 17, 340408, tzinfo=UTC)
_FAKE_STEP = timedelta(milliseconds=1, microseconds=17)
_MAX_COUNTER = 0xFFF  # 12 bits of rand_a used as a counter


def format_timestamp(moment: datetime) -> str:
    """Render ``moment`` the way the service does: ``2025-05-21T19:35:17.340408Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Clock:
    """Wall-clock time, or a fake clock advancing by a fixed step per reading."""

    def __init__(self, *, fake: bool) -> None:
        self._fake = fake
        self._now = _FAKE_START

    def now(self) -> datetime:
        if not self._fake:
            return datetime.now(UTC)
        self._now += _FAKE_STEP
        return self._now

    def get_state(self) -> datetime:
        return self._now

    def set_state(self, state: datetime) -> None:
        self._now = state


class IdFactory:
    """Makes UUIDv7 strings and API keys from one random source and one clock.

    Not thread-safe on its own: the server calls it under its state lock.
    """

    def __init__(self, seed: int | None) -> None:
        self.deterministic = seed is not None
        self.clock = Clock(fake=self.deterministic)
        self._rng: random.Random = (
            random.Random(seed) if seed is not None else random.SystemRandom()
        )
        self._last_ms = -1
        self._counter = 0

    def uuid7(self) -> str:
        """A UUIDv7: 48-bit Unix milliseconds, version, 12-bit counter, variant, 62 random bits."""
        ms = (self.clock.now() - _EPOCH) // timedelta(milliseconds=1)
        if ms > self._last_ms:
            # Start the counter low in its range so that many IDs fit in one millisecond.
            self._counter = self._rng.getrandbits(10)
        else:
            ms = self._last_ms
            self._counter += 1
            if self._counter > _MAX_COUNTER:
                ms += 1
                self._counter = 0
        self._last_ms = ms
        value = (ms & (2**48 - 1)) << 80
        value |= 0x7 << 76
        value |= self._counter << 64
        value |= 0b10 << 62
        value |= self._rng.getrandbits(62)
        return str(uuid.UUID(int=value))

    def api_key(self) -> str:
        """``dfs_`` followed by 43 URL-safe characters (32 random bytes, unpadded base64)."""
        raw = self._rng.randbytes(32)
        return "dfs_" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def now(self) -> str:
        return format_timestamp(self.clock.now())

    def get_state(self) -> tuple[object, datetime, int, int] | None:
        """The generator's state, to replay the same IDs after a reset (seeded mode only)."""
        if not self.deterministic:
            return None
        return (self._rng.getstate(), self.clock.get_state(), self._last_ms, self._counter)

    def set_state(self, state: tuple[object, datetime, int, int] | None) -> None:
        if state is None:
            return
        rng_state, clock_state, self._last_ms, self._counter = state
        self._rng.setstate(rng_state)  # type: ignore[arg-type]
        self.clock.set_state(clock_state)
