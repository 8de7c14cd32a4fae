"""Logboek: the audit trail for controller and beheer — who loaded, restored, wrote a note,
changed a setting, made a raadspakket or downloaded an export, with the versions it
concerned. Layout only; the rows are written by etl.logboek."""
import streamlit as st

from stuurbord import data
from stuurbord.data import queries
from stuurbord.ui import fmt, widgets

widgets.page_guard()

ACTIES = {"laden": "geladen", "terugzetten": "teruggezet", "notitie": "notitie", "instelling": "instelling gewijzigd",
          "raadspakket": "raadspakket gemaakt", "download": "gedownload"}
VIA = {"oidc": "inlog", "proxy": "intranet (proxy)", "demo": "demomodus", "zonder_inlog": "zonder inlog",
       "opdrachtregel": "opdrachtregel", "app": "app"}

st.title("Logboek")
st.markdown("Wie wat deed in Stuurbord: gegevens laden en terugzetten, notities, instellingen, raadspakketten en "
            "elke download van een export of oorspronkelijk bestand. De naam en het e-mailadres komen van de inlog "
            "(op de opdrachtregel: de gebruiker van de server). Regels worden alleen toegevoegd, nooit gewijzigd.")

log = data.get(queries.logboek)
if log.empty:
    st.info("Het logboek is nog leeg.", icon=":material/info:")
    st.stop()

c1, c2 = st.columns([1, 2])
acties = c1.multiselect("Actie", list(ACTIES), format_func=ACTIES.get, key="logboek_acties",
                        placeholder="Alle acties")
wie = c2.text_input("Persoon (naam of e-mail bevat)", key="logboek_wie").strip().casefold()
shown = log
if acties:
    shown = shown[shown["actie"].isin(acties)]
if wie:
    shown = shown[shown["naam"].str.casefold().str.contains(wie, regex=False)
                  | shown["email"].fillna("").str.casefold().str.contains(wie, regex=False)]
st.caption(f"{fmt.aantal_tekst(len(shown), 'regel', 'regels')}, nieuwste eerst.")
widgets.dutch_table(
    shown.assign(actie=shown["actie"].map(lambda a: ACTIES.get(a, a)), via=shown["via"].map(lambda v: VIA.get(v, v))),
    {"tijdstip": "tijdstip"},
    {"tijdstip": "Tijdstip", "naam": "Naam", "email": "E-mail", "subject": "Subject", "rol": "Rol", "via": "Via",
     "actie": "Actie", "onderwerp": "Onderwerp", "versies": "Versies", "details": "Details"},
    height=600 if len(shown) > 25 else "auto")
