"""Exports for the raad: tables as Excel and CSV, charts as PNG, the raadspakket (PDF
and Excel). Everything that leaves Stuurbord passes through here:

- views.py   what each view exports: an allow-list of columns, suppression of small
             numbers (stuurbord.access.privacy), the chart drawn from the suppressed table;
- table.py   the model: Table (columns with a type, hidden cells) and Herkomst
             (versions, peildatum, SHA-256 — the provenance on every page and sheet);
- cells.py   formula-injection safety for text cells;
- excel.py, csvfile.py, images.py (kaleido + system Chromium), pack.py (raadspakket).
No Streamlit import here: the page layer (stuurbord.ui) only wires buttons to these.
"""
