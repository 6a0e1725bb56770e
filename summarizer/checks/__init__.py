"""Checks of what a model wrote against the article it came from (below ``brief`` and ``synthesis``, which both use them)."""
