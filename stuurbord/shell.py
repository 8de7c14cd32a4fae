"""The app shell: page routing (st.navigation), the sidebar with data versions,
and the guarantee that no traceback reaches a browser. app.py calls main()."""
from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from . import data
from .ui import fmt, widgets

log = logging.getLogger("stuurbord")

PAGES = {
    "Overzicht": [
        st.Page("pages/overzicht.py", title="Overzicht", icon=":material/home:", default=True),
        st.Page("pages/raadspakket.py", title="Raadspakket", icon=":material/picture_as_pdf:",
                url_path="raadspakket"),
    ],
    "Organisatie": [
        st.Page("pages/formatie.py", title="Formatie en bezetting", icon=":material/groups:", url_path="formatie"),
        st.Page("pages/span.py", title="Span of attention", icon=":material/diversity_3:", url_path="span"),
    ],
    "Opgaven": [
        st.Page("pages/opgaven.py", title="Opgaven", icon=":material/flag:", url_path="opgaven"),
    ],
    "Dienstverlening": [
        st.Page("pages/dienstverlening.py", title="Dienstverleningsnormen", icon=":material/support_agent:",
                url_path="dienstverlening"),
    ],
    "Beheer": [
        st.Page("pages/laden.py", title="Gegevens laden", icon=":material/upload_file:", url_path="laden"),
        st.Page("pages/versies.py", title="Versies", icon=":material/history:", url_path="versies"),
    ],
}


def sidebar() -> None:
    versions = data.versions()
    with st.sidebar:
        if any(v["loaded_by"] == "demo" for v in versions.values()):
            st.warning("**Demogegevens** — fictieve, synthetische gegevens; geen echte medewerkers.",
                       icon=":material/science:")
        st.markdown("**Geladen gegevens**")
        lines = []
        for kind, label in widgets.KIND_LABELS.items():
            v = versions.get(kind)
            lines.append(f"- {label}: " + (f"versie {v['version']}, peildatum {fmt.datum(v['peildatum'])}"
                                           if v else "_nog niet geladen_"))
        st.markdown("\n".join(lines))


def main() -> None:
    st.set_page_config(page_title="Stuurbord · gemeente Wassenaar", page_icon=":material/insights:", layout="wide")
    with data.run_scope():
        page = st.navigation(PAGES)
        try:
            sidebar()
            page.run()
        except ScriptControlException:
            raise  # st.stop / st.rerun are control flow, not errors
        except data.Unavailable as exc:
            log.exception("Database niet beschikbaar")
            st.error(str(exc), icon=":material/database:")
        except Exception:
            log.exception("Fout bij het tonen van pagina %s", page.title)
            st.error("Er ging iets mis bij het tonen van deze pagina. Probeer het opnieuw; blijft het misgaan, "
                     "meld het dan aan de beheerder (de details staan in het serverlog).", icon=":material/error:")
