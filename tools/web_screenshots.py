"""Screenshots of the web briefing for the docs: the seeds' and M000's day, replayed, opened in Debian's Chromium.

Usage: python tools/web_screenshots.py   (writes docs/web-briefing.png and docs/web-article.png)

The briefing is made from the recorded fixtures (no model), written with
``write_site`` to a temporary folder, and opened from disk; the article shot
is taken after clicking a citation of the top story's overview, so its
passage is highlighted.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from summarizer.output.briefing import daily_briefing
from summarizer.output.web.site import write_site
from summarizer.providers.replay import ReplayProvider

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    """Make the briefing, write the site, take both screenshots."""
    os.chdir(ROOT)  # the pages name their inputs as given: relative paths
    briefing = daily_briefing(["seeds", "tests/data/M000"], provider=ReplayProvider(Path("fixtures")), date=dt.date(2026, 12, 6))
    if not briefing.ok:
        sys.exit("the replayed briefing is incomplete: " + "; ".join(f.error or "" for f in briefing.failures))
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        write_site(briefing, Path(folder), title="Daily briefing")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 900, "height": 1100}, device_scale_factor=1)
        page.goto((Path(folder) / "index.html").as_uri())
        page.screenshot(path=str(ROOT / "docs/web-briefing.png"))
        page.locator("section a.cite[href*='#']").nth(2).click()
        page.wait_for_load_state()
        page.locator(":target").scroll_into_view_if_needed()
        page.screenshot(path=str(ROOT / "docs/web-article.png"))
        browser.close()
    print("docs/web-briefing.png, docs/web-article.png")


if __name__ == "__main__":
    main()
