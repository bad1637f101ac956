"""A small server-side SVG chart builder: no JavaScript, no third-party library.

Each chart is an `<svg role="img">` named by its <title> and <desc> (aria-labelledby), and the page
shows the same figures in a <table> beside it, so that nobody depends on the picture.
Every piece of text goes through `escape`: course and quiz titles are editors' text.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1b2430"  # the site's --ink: 15:1 on white
BAR = "#0b5c7a"  # the site's --brand: 7:1 on white, so a bar stands out for low-vision readers too
GRID = "#cdd5df"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # in the chart's unit, between 0 and `maximum`
    note: str = ""  # the figure printed at the end of the bar, e.g. "7 of 9"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def horizontal_bar_chart(
    *, chart_id: str, title: str, description: str, bars: list[Bar], maximum: float = 100, unit: str = "%"
) -> SafeString:
    """One bar per row, labels on the left, value at the end of each bar; scales with its container."""
    label_width, bar_width, value_width, row_height, top = 230, 330, 90, 28, 24
    width = label_width + bar_width + value_width
    height = top + row_height * max(len(bars), 1) + 8
    maximum = maximum or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        'preserveAspectRatio="xMinYMin meet" font-family="DejaVu Sans, sans-serif" font-size="13">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_width + bar_width * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 8}" stroke="{GRID}"/>')
        figure = round(maximum * tick / 100)
        parts.append(
            f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" fill="{INK}" font-size="11">{figure}{escape(unit)}</text>'
        )
    for index, bar in enumerate(bars):
        y = top + index * row_height
        length = bar_width * max(0.0, min(float(bar.value), maximum)) / maximum
        shown = bar.note or f"{bar.value:g}{unit}"
        parts.append("<g>")
        parts.append(f"<title>{escape(bar.label)}: {escape(shown)}</title>")
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end" fill="{INK}">{escape(_shorten(bar.label, 30))}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 5}" width="{length:.1f}" height="{row_height - 10}" fill="{BAR}"/>'
        )
        parts.append(f'<text x="{label_width + length + 6:.1f}" y="{y + 18}" fill="{INK}">{escape(shown)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    # Every interpolated string above was escaped; the numbers are formatted by us.
    return mark_safe("".join(parts))  # noqa: S308


def score_bands(scores: list[float], *, band: int = 20) -> list[tuple[str, int]]:
    """Scores (0–100) counted in bands: [("0–19", n), ..., ("80–100", n)]."""
    edges = list(range(0, 100, band))
    counts = dict.fromkeys(edges, 0)
    for score in scores:
        edge = min(int(score // band) * band, edges[-1])
        counts[edge] += 1
    return [(f"{edge}–{edge + band - 1 if edge != edges[-1] else 100}", counts[edge]) for edge in edges]
