"""Many inputs at once: briefing every article (with a cache of finished briefs), then their synthesis."""
