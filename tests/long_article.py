"""The long-article case: the ten WikiNews articles of MultiLing cluster M000 as one text.

Run as a module to print it (the fixture recording script briefs that output).
"""

from __future__ import annotations

from pathlib import Path

M000 = Path(__file__).resolve().parent / "data" / "M000"
LONG_ARTICLE_ID = "M000-all"


def long_article_text() -> str:
    """The ten documents joined by blank lines, in file order."""
    return "\n\n".join(path.read_text(encoding="utf-8").strip() for path in sorted(M000.glob("*.txt")))


if __name__ == "__main__":
    print(long_article_text())
