"""``DateWindow``: the publication dates a run keeps (``--since``/``--until``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from summarizer.errors import UsageError


@dataclass(frozen=True)
class DateWindow:
    """Publication dates to keep (either end open); an article with no known date is kept."""

    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise UsageError(f"the window starts ({self.since}) after it ends ({self.until})")

    def outside(self, published: dt.date | None) -> str | None:
        """Why ``published`` is outside the window, or None when it is inside (or unknown)."""
        if published is None:
            return None
        if self.since is not None and published < self.since:
            return f"published {published}, before --since {self.since}"
        if self.until is not None and published > self.until:
            return f"published {published}, after --until {self.until}"
        return None
