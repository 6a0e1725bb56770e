"""How the figures moved, as SVG geometry: one mark per reported value by date, a day's spread as a range, forecasts hollow.

Only numbers are computed here; the template draws them (and escapes every label).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from summarizer.synthesis.schema import FigurePoint, FigureSeries, figure_text

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 36


@dataclass(frozen=True)
class Mark:
    """One value: where it is drawn, whether only expected (hollow), what it says and which passage gives it."""

    x: float
    y: float
    expected: bool
    point: FigurePoint


@dataclass(frozen=True)
class Spread:
    """The range of values given on one day."""

    x: float
    low: float
    high: float


@dataclass(frozen=True)
class Chart:
    """One quantity's chart: its marks, same-day spreads and axis labels."""

    label: str
    marks: list[Mark]
    spreads: list[Spread]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT


def chart_of(series: FigureSeries) -> Chart | None:
    """The chart of ``series`` (None when no value has a date)."""
    dated = [point for point in series.points if point.date is not None]
    if not dated:
        return None
    days = [dt.date.fromisoformat(point.date or "") for point in dated]
    first, last = min(days).toordinal(), max(days).toordinal()
    low, high = min(point.value for point in dated), max(point.value for point in dated)
    low, high = (min(0.0, low), high) if high > low else (low - 1.0, high + 1.0)

    def x(day: dt.date) -> float:
        span = max(last - first, 1)
        return round(LEFT + (WIDTH - LEFT - RIGHT) * ((day.toordinal() - first) / span if last > first else 0.5), 1)

    def y(value: float) -> float:
        return round(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * (value - low) / (high - low), 1)

    marks = [Mark(x(day), y(point.value), point.expected, point) for point, day in zip(dated, days, strict=True)]
    by_day: dict[dt.date, list[float]] = {}
    for point, day in zip(dated, days, strict=True):
        if not point.expected:
            by_day.setdefault(day, []).append(point.value)
    spreads = [Spread(x(day), y(min(values)), y(max(values))) for day, values in by_day.items() if len(set(values)) > 1]
    y_ticks = [(y(value), figure_text(value)) for value in (low, (low + high) / 2, high)]
    x_ticks = [(x(day), day.isoformat()) for day in sorted(set(days))]
    return Chart(series.label, marks, spreads, y_ticks, x_ticks)
