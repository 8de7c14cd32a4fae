"""Text cells that are safe to open in Excel (OWASP "CSV injection").

A cell whose text starts with = + - @ or a tab/carriage return is read by Excel (and
LibreOffice, Google Sheets) as a formula: `=HYPERLINK("http://x","klik")` in a coach's
name would become a live link. Text only: numbers never pass through here, so a
negative number stays a number.
"""
from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(text: str) -> bool:
    return isinstance(text, str) and text.startswith(TRIGGERS)


def neutralise(text: str) -> str:
    """For CSV: a leading apostrophe, which Excel shows as the plain text that follows."""
    return "'" + text if is_risky(text) else text
