"""What an append transaction knows while it holds the lock: the head and the streams seen."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cursor:
    """The head (position, hash) and stream versions as this lock has placed them."""

    position: int
    hash: str
    versions: dict[str, int]
    # Generated names the log was asked about while this lock is held: name -> taken.
    probed: dict[str, bool] = field(default_factory=dict)
    # Date's first name -> how many names its last probe past the lock's answers asked for.
    windows: dict[str, int] = field(default_factory=dict)

    def copy(self) -> Cursor:
        return Cursor(
            self.position, self.hash, dict(self.versions), dict(self.probed), dict(self.windows)
        )
