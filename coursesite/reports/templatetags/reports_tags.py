"""Presentation helpers for the cohort matrix.

A matrix page can hold thousands of cells; rendering each through the template engine cost about
0.2 ms a cell (bench/dashboard.py), so a row's cells are built here with `format_html` (every value
escaped) in one call.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _score(cell) -> SafeString | str:
    if cell.score is None:
        return ""
    return format_html(' <span class="cell__score">{}%</span>', f"{cell.score.normalize():f}")


@register.simple_tag
def matrix_cells(row) -> SafeString:
    """The <td> of each step for one trainee: icon (hidden from screen readers), status word, score."""
    return format_html_join(
        "",
        '<td class="cell cell--{}"><span aria-hidden="true" class="cell__icon">{}</span> '
        '<span class="cell__label">{}</span>{}</td>',
        ((cell.status, cell.icon, cell.label, _score(cell)) for cell in row.cells),
    )
