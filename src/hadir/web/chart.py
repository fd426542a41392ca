"""The dashboard's week chart as plain SVG geometry (no chart library, no script)."""

from __future__ import annotations

from dataclasses import dataclass

from hadir.services.dashboard import DayCounts

WIDTH, HEIGHT = 640, 240
TOP, BOTTOM, LEFT = 20, 40, 36
SHORT_DAYS = {
    "id": ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    on_time_y: float
    on_time_h: float
    late_y: float
    late_h: float
    label: str
    label_x: float
    on_time: int
    late: int


@dataclass(frozen=True)
class WeekChart:
    width: int
    height: int
    baseline: float
    top: float
    scale_max: int
    bars: tuple[Bar, ...]


def week_chart(week: tuple[DayCounts, ...], lang: str) -> WeekChart:
    """Stacked bars (on time below, late above) per day, scaled to the busiest day."""
    plot_h = HEIGHT - TOP - BOTTOM
    scale_max = max([1, *(d.on_time + d.late for d in week)])
    slot = (WIDTH - LEFT) / max(1, len(week))
    bar_w = slot * 0.6
    baseline = HEIGHT - BOTTOM
    bars = []
    for i, day in enumerate(week):
        x = LEFT + i * slot + (slot - bar_w) / 2
        on_h = plot_h * day.on_time / scale_max
        late_h = plot_h * day.late / scale_max
        names = SHORT_DAYS.get(lang, SHORT_DAYS["id"])
        bars.append(
            Bar(
                x=round(x, 1),
                width=round(bar_w, 1),
                on_time_y=round(baseline - on_h, 1),
                on_time_h=round(on_h, 1),
                late_y=round(baseline - on_h - late_h, 1),
                late_h=round(late_h, 1),
                label=f"{names[day.day.weekday()]} {day.day.day}",
                label_x=round(x + bar_w / 2, 1),
                on_time=day.on_time,
                late=day.late,
            )
        )
    return WeekChart(WIDTH, HEIGHT, baseline, TOP, scale_max, tuple(bars))
