"""The one style override of the app (docs/accessibility.md, "Overrides"). Streamlit 1.67 has no
locale: a few of its own texts are English and hard-coded in its frontend. Where Stuurbord can
say the same in Dutch itself, the English element is hidden here and the page says it:

- a chosen file's size ("7.4KB", English decimal point) under the uploader; the uploader's
  "25MB per file • XLSX, XLSM" line is replaced by the Gegevens laden page itself (pages/laden.py);
- the table and chart toolbar (its buttons are named "Show/hide columns", "Search",
  "Fullscreen") and the "Fullscreen" button Streamlit adds to Plotly's (otherwise Dutch) toolbar:
  downloads go through Exporteren, and every table is short or paginated;
- the number inputs' − and + buttons ("Decrement", "Increment"): the arrow keys and typing do
  the same.

What stays English (the uploader's "Upload" button, the drop zone's "Drag and drop" when it
is read out) is listed in the toegankelijkheidsverklaring. Only selectors on Streamlit's
data-testid attributes (stable across releases, used by its own tests), no script."""
from __future__ import annotations

import streamlit as st

CSS = """
<style>
[data-testid="stFileUploaderFileData"] small {display: none;}
[data-testid="stElementToolbar"] {display: none;}
[data-testid="stNumberInputStepUp"], [data-testid="stNumberInputStepDown"] {display: none;}
.modebar-btn[data-title="Fullscreen"] {display: none;}
</style>
"""


def apply() -> None:
    """Once per run, before anything else is drawn (an st.html with only a <style> takes no space)."""
    st.html(CSS)
