"""The frame of the gaps chart: size, colours, scales and axes (see ``chart``).

Days run up the y axis in steps a reader counts in (a week, a month, a quarter…); time runs
along the x axis with new years, or months on an axis shorter than a year and a half.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .present import MONTHS

WIDTH, HEIGHT = 960, 360
LEFT, RIGHT, TOP, BOTTOM = 52, 28, 44, 32
Y_STEPS = (1, 2, 7, 14, 30, 60, 90, 180, 365, 730)
MIN_BAR = 2.0  # px: a 0- or 1-day gap stays visible and focusable
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
BAR, LONGEST, INK, MUTED, GRID, PAPER = (
    "#c0562b",
    "#8f2d0e",
    "#1d1d1f",
    "#5c5c66",
    "#dcdce2",
    "#fff",
)


@dataclass(frozen=True, slots=True)
class Scale:
    start: date
    days: int
    y_top: int
    y_step: int

    def x(self, d: date) -> float:
        return LEFT + (d - self.start).days / self.days * (WIDTH - LEFT - RIGHT)

    def y(self, days: float) -> float:
        return HEIGHT - BOTTOM - days / self.y_top * (HEIGHT - TOP - BOTTOM)


def make_scale(gaps: list[Mapping[str, Any]], current: tuple[date, date, int] | None) -> Scale:
    starts = [date.fromisoformat(g["from_swap"]) for g in gaps]
    ends = [date.fromisoformat(g["to_swap"]) for g in gaps]
    if current:
        starts.append(current[0])
        ends.append(current[1])
    start, end = min(starts), max(ends)
    longest = max([g["days"] for g in gaps] + ([current[2]] if current else []) + [1])
    step = next((s for s in Y_STEPS if longest / s <= 5), Y_STEPS[-1])
    return Scale(start, max((end - start).days, 1), math.ceil(longest / step) * step, step)


def n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: Any) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()}
    )
    if text is not None:
        element.text = text
    return element


def clamp(x: float) -> float:
    return min(max(x, LEFT + 30), WIDTH - RIGHT - 30)


def draw_axes(svg: ET.Element, scale: Scale) -> None:
    axes = el(svg, "g", class_="axes", aria_hidden="true")
    bottom, left, right = HEIGHT - BOTTOM, LEFT, WIDTH - RIGHT
    for value in range(0, scale.y_top + 1, scale.y_step):
        y = n(scale.y(value))
        el(axes, "line", x1=left, x2=right, y1=y, y2=y, stroke=GRID, class_="grid")
        el(
            axes,
            "text",
            str(value),
            x=left - 6,
            y=y,
            dy="0.35em",
            text_anchor="end",
            fill=MUTED,
            class_="tick-label",
        )
    el(axes, "text", "days without a swap", x=left, y=TOP - 26, fill=MUTED, class_="axis-title")
    end = scale.start + timedelta(days=scale.days)
    for tick, label in time_ticks(scale.start, end):
        x = n(scale.x(tick))
        el(axes, "line", x1=x, x2=x, y1=bottom, y2=bottom + 5, stroke=MUTED, class_="tick")
        el(
            axes,
            "text",
            label,
            x=x,
            y=bottom + 20,
            text_anchor="middle",
            fill=MUTED,
            class_="tick-label",
        )
    el(axes, "line", x1=left, x2=right, y1=bottom, y2=bottom, stroke=MUTED, class_="baseline")


def time_ticks(start: date, end: date) -> list[tuple[date, str]]:
    """New years on a long axis; months (every one to every sixth) on a short one."""
    if (end - start).days > 540:
        return [(date(y, 1, 1), str(y)) for y in range(start.year + 1, end.year + 1)]
    months = []
    y, m = start.year, start.month
    while True:
        m += 1
        y, m = (y + 1, 1) if m > 12 else (y, m)
        if date(y, m, 1) > end:
            break
        months.append(date(y, m, 1))
    every = next(k for k in (1, 2, 3, 6, 12) if len(months) / k <= 8)
    return [(d, f"{MONTHS[d.month - 1]} {d.year}") for d in months if (d.month - 1) % every == 0]
