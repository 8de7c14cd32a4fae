"""The one style override of the app (docs/accessibility.md, "Overrides"). Streamlit 1.67 has no
locale: a few of its own texts are English and hard-coded in its frontend. Where Stuurbord can
say the same in Dutch itself, the English element is hidden here and the page says it:

- a chosen file's size ("7.4KB", English decimal point) is hidden, and the uploader's "25MB per
  file • XLSX, XLSM" line is replaced by the Gegevens laden page itself (pages/laden.py);
- the table and chart toolbar (its buttons are named "Show/hide columns", "Search",
  "Fullscreen") and the "Fullscreen" button Streamlit adds to Plotly's (otherwise Dutch) toolbar:
  downloads go through Exporteren, and every table is short or paginated;
- the "Link to heading" anchor beside every heading (a link to the heading itself);
- the number inputs' − and + buttons ("Decrement", "Increment"): the arrow keys and typing do
  the same.

Metric tiles: Streamlit cuts a value or label that does not fit ("189,…" in a 1024 px wide window);
here the value's size follows the window and both wrap at spaces instead.

And one addition: a visible focus ring (WCAG 2.4.7) on what Streamlit leaves without one when it
is reached with Tab: the scrollable main area and sidebar, links, expander headers.

What stays English (the uploader's button "Upload": a CSS text in its place is no accessible
name for axe, a critical button-name violation; and names only a screen reader hears: "Help for …", "Skip to main content",
"file upload", a chosen file's "7.0KB") is listed in the toegankelijkheidsverklaring
(ui/toegankelijkheid.py, ENGELS). Only selectors on Streamlit's
data-testid attributes (stable across releases, used by its own tests), no script."""
from __future__ import annotations

import streamlit as st

CSS = """
<style>
[data-testid="stFileChipName"] + div {display: none;}
[data-testid="stElementToolbar"] {display: none;}
[data-testid="stNumberInputStepUp"], [data-testid="stNumberInputStepDown"] {display: none;}
.modebar-btn[data-title="Fullscreen"] {display: none;}
[data-testid="stHeaderActionElements"] {display: none;}
[data-testid="stMetricValue"] {font-size: clamp(1.35rem, 2.6vw, 2.25rem);}
[data-testid="stMetricValue"] > div, [data-testid="stMetricLabel"] p
    {white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: normal; word-break: normal;}
main:focus-visible, section:focus-visible, [tabindex]:focus-visible, a:focus-visible, summary:focus-visible
    {outline: 2px solid #1f5f8b; outline-offset: 2px;}
</style>
"""


def apply() -> None:
    """Once per run, before anything else is drawn (an st.html with only a <style> takes no space)."""
    st.html(CSS)
