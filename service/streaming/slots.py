"""How many live followers a worker process serves at once, and the cap on that number."""

from __future__ import annotations

import os
import threading

DEFAULT_MAX_FOLLOWERS = 1000
# Seconds a follower turned away is told to wait before it tries again.
FULL_RETRY_AFTER = 5


class FollowerSlots:
    """A counter with a ceiling: ``take`` fails once ``limit`` followers are connected."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.taken = 0
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self.taken >= self.limit:
                return False
            self.taken += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self.taken = max(0, self.taken - 1)


def _limit() -> int:
    return int(os.environ.get("LIVE_MAX_FOLLOWERS") or DEFAULT_MAX_FOLLOWERS)


# One per worker process: LIVE_MAX_FOLLOWERS is per worker (README: sizing).
SLOTS = FollowerSlots(_limit())
