"""Showing a domain.diff result: what a new file (upload page) or a newer version (versions
page) changes. Layout only; the figures come from stuurbord.domain.diff."""
from __future__ import annotations

import streamlit as st

from . import charts, fmt, safe, texts, widgets

ISSUE_LABELS = {"blad": "Blad", "cel": "Cel", "melding": "Melding"}
def _getal2(x) -> str:
    return fmt.getal(x, 2)


STATUS = {"toegevoegd": "toegevoegd", "vervallen": "vervallen", "gewijzigd": "formatie gewijzigd"}


def show(kind: str, d: dict, old_label: str, new_label: str, key: str) -> None:
    {"organisatie": _organisatie, "wasword": _wasword, "kpi": _kpi, "opgaven": _opgaven}[kind](
        d, old_label, new_label, key)


def _organisatie(d, old_label, new_label, key):
    s, eenheden = d["samenvatting"], d["eenheden"]
    widgets.metrics([
        ("Formatie", f"{fmt.fte(s['formatie_nieuw'])} fte", f"{old_label}: {fmt.fte(s['formatie_oud'])} fte"),
        ("Eenheden toegevoegd", fmt.getal(s["toegevoegd"]), None),
        ("Eenheden vervallen", fmt.getal(s["vervallen"]), None),
        ("Formatie gewijzigd", fmt.getal(s["gewijzigd"]), "Eenheden met een andere formatie."),
    ])
    changed = eenheden[eenheden["status"] != "ongewijzigd"]
    if changed.empty:
        st.markdown("Geen verschillen in eenheden en formatie.")
        return
    widgets.dutch_table(
        changed[["eenheid", "cluster", "formatie_oud", "formatie_nieuw", "verschil", "status"]].assign(
            status=changed["status"].map(STATUS)),
        {"formatie_oud": "fte", "formatie_nieuw": "fte", "verschil": "signed"},
        {"eenheid": "Eenheid", "cluster": "Cluster", "formatie_oud": f"Formatie ({old_label})",
         "formatie_nieuw": f"Formatie ({new_label})", "verschil": "Verschil", "status": "Wijziging"})


def _wasword(d, old_label, new_label, key):
    per, changes = d["per_eenheid"], d["wijzigingen"]
    s = texts.person_summary(changes)
    total = per["fte_nieuw"].sum() - per["fte_oud"].sum()
    widgets.metrics([
        ("Bezetting", f"{fmt.fte(per['fte_nieuw'].sum())} fte", f"{old_label}: {fmt.fte(per['fte_oud'].sum())} fte"),
        ("Verschil", f"{fmt.signed(total)} fte", None),
        ("In dienst gekomen", fmt.getal(s["in_dienst"]), "Personen die in de oude versie niet voorkwamen."),
        ("Uit dienst", fmt.getal(s["uit_dienst"]), "Personen die in de nieuwe versie niet meer voorkomen."),
        ("Verplaatst", fmt.getal(s["verplaatst"]), "Personen die van eenheid wisselden."),
        ("Fte gewijzigd", fmt.getal(s["fte_gewijzigd"]), "Plaatsingen met een andere fte."),
    ], columns=3)
    sentences = texts.compare_sentences(per, changes)
    st.markdown("\n".join(f"- {x}" for x in sentences) or "Geen verschillen.")
    widgets.dutch_table(per, {"fte_oud": "fte", "fte_nieuw": "fte", "fte_verschil": "signed",
                         "personen_oud": "getal", "personen_nieuw": "getal"},
                   {"eenheid": "Eenheid", "fte_oud": f"Fte ({old_label})", "fte_nieuw": f"Fte ({new_label})",
                    "fte_verschil": "Verschil", "personen_oud": f"Personen ({old_label})",
                    "personen_nieuw": f"Personen ({new_label})"})
    widgets.chart(charts.compare(per, old_label, new_label), "was-wordt-vergelijking", key=f"chart_{key}")
    if not changes.empty:
        with st.expander(f"Plaatsingen toegevoegd, vervallen of verplaatst ({fmt.getal(len(changes))})"):
            widgets.personal_table(
                changes[["eenheid", "status", "personeelsnummer", "naam", "fte_oud", "fte_nieuw"]],
                {"fte_oud": widgets.FTE4, "fte_nieuw": widgets.FTE4},
                {"eenheid": "Eenheid", "status": "Wijziging", "personeelsnummer": "Personeelsnummer",
                 "naam": "Naam", "fte_oud": "Fte oud", "fte_nieuw": "Fte nieuw"})


def _kpi(d, old_label, new_label, key):
    widgets.metrics([
        ("Normen toegevoegd", fmt.getal(len(d["normen_toegevoegd"])), safe.md(", ".join(d["normen_toegevoegd"])) or None),
        ("Normen vervallen", fmt.getal(len(d["normen_vervallen"])), safe.md(", ".join(d["normen_vervallen"])) or None),
        ("Scores toegevoegd", fmt.getal(d["scores_toegevoegd"]), None),
        ("Scores gewijzigd", fmt.getal(len(d["scores_gewijzigd"])), None),
    ])
    if len(d["scores_gewijzigd"]):
        widgets.dutch_table(d["scores_gewijzigd"], {"waarde_oud": _getal2, "waarde_nieuw": _getal2},
                       {"code": "Code", "periode": "Periode", "waarde_oud": f"Waarde ({old_label})",
                        "waarde_nieuw": f"Waarde ({new_label})"})


def _opgaven(d, old_label, new_label, key):
    widgets.metrics([
        ("Opgaven toegevoegd", fmt.getal(len(d["toegevoegd"])), None),
        ("Opgaven vervallen", fmt.getal(len(d["vervallen"])), None),
        ("Fase gewijzigd", fmt.getal(len(d["fase"])), None),
    ], columns=3)
    lines = ([f"- Toegevoegd: {safe.md(x)}" for x in d["toegevoegd"]]
             + [f"- Vervallen: {safe.md(x)}" for x in d["vervallen"]])
    if lines:
        st.markdown("\n".join(lines))
    if len(d["fase"]):
        widgets.dutch_table(d["fase"], {}, {"opgave": "Opgave", "fase_oud": f"Fase ({old_label})",
                                       "fase_nieuw": f"Fase ({new_label})"})
