"""Story memory across days: today's stories matched to earlier ones, what changed, kept in SQLite."""
