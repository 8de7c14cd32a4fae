"""The app shell: page routing (st.navigation), the sidebar with data versions,
and the guarantee that no traceback reaches a browser. app.py calls main()."""
from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from . import data
from .ui import fmt, widgets

log = logging.getLogger("stuurbord")

# (section, path, title, icon, url_path); st.Page objects are built per run in pages(): a Page
# carries per-run state ("may be run once"), so objects shared by sessions make one session's
# run clear the flag another session's run needs ("This page cannot be called directly").
PAGES = (
    ("Overzicht", "pages/overzicht.py", "Overzicht", ":material/home:", None),
    ("Overzicht", "pages/raadspakket.py", "Raadspakket", ":material/picture_as_pdf:", "raadspakket"),
    ("Organisatie", "pages/formatie.py", "Formatie en bezetting", ":material/groups:", "formatie"),
    ("Organisatie", "pages/span.py", "Span of attention", ":material/diversity_3:", "span"),
    ("Opgaven", "pages/opgaven.py", "Opgaven", ":material/flag:", "opgaven"),
    ("Dienstverlening", "pages/dienstverlening.py", "Dienstverleningsnormen", ":material/support_agent:",
     "dienstverlening"),
    ("Beheer", "pages/laden.py", "Gegevens laden", ":material/upload_file:", "laden"),
    ("Beheer", "pages/versies.py", "Versies", ":material/history:", "versies"),
)


def pages() -> dict[str, list]:
    """This run's navigation: fresh st.Page objects per section."""
    out: dict[str, list] = {}
    for section, path, title, icon, url_path in PAGES:
        out.setdefault(section, []).append(
            st.Page(path, title=title, icon=icon, url_path=url_path, default=url_path is None))
    return out


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
    # an emoji icon becomes a data: URL; a ":material/…:" icon is fetched from fonts.gstatic.com by every browser
    st.set_page_config(page_title="Stuurbord · gemeente Wassenaar", page_icon="📊", layout="wide")
    with data.run_scope():
        page = st.navigation(pages())
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
