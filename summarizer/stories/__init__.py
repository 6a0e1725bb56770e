"""A day's articles -> stories: near-duplicates collapsed, the rest grouped by event or topic, no model call."""
