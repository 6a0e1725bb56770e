"""What users read: JSON and Markdown rendering (Jinja2 templates), brief files, the daily briefing."""
