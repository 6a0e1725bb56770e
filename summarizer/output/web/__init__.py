"""The briefing as a static web site (HTML pages, SVG charts, an Atom feed): autoescaped, no scripts, opens from disk."""
