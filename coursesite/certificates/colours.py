"""Colour checks for certificate templates: a hex colour, and enough contrast against the white page.

WCAG 2.2: text needs 4.5:1 (1.4.3, AA); lines, frames and other non-text marks 3:1 (1.4.11).
Contrast ratio and relative luminance as defined in https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio
"""

import re

from django.core.exceptions import ValidationError

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
TEXT_CONTRAST = 4.5
GRAPHIC_CONTRAST = 3.0


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


def validate_hex_colour(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError("Enter a colour as # and six hexadecimal digits, e.g. #0b5c75.")


def _validate_contrast(value: str, minimum: float, use: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        return  # validate_hex_colour reports it
    ratio = contrast_with_white(value)
    if ratio < minimum:
        raise ValidationError(
            f"{value} has a contrast of {ratio:.2f}:1 against the white page; {use} needs at least "
            f"{minimum:g}:1 (WCAG 2.2 AA). Choose a darker colour."
        )


def validate_text_contrast(value: str) -> None:
    _validate_contrast(value, TEXT_CONTRAST, "text")


def validate_graphic_contrast(value: str) -> None:
    _validate_contrast(value, GRAPHIC_CONTRAST, "a line or frame")
