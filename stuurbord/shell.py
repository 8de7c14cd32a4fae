"""The app shell: the door (who gets in, stuurbord.access.identity), page routing
(st.navigation, only the pages the role may open), the sidebar with the person and the data
versions, and the guarantee that no traceback reaches a browser. app.py calls main()."""
from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from . import data
from .access import identity
from .ui import fmt, style, toegang, widgets

log = logging.getLogger("stuurbord")

# (section, path, title, icon, url_path); st.Page objects are built per run in pages(): a Page
# carries per-run state ("may be run once"), so objects shared by sessions make one session's
# run clear the flag another session's run needs ("This page cannot be called directly").
PAGES = (
    ("Overzicht", "pages/overzicht.py", "Overzicht", ":material/home:", None),
    ("Overzicht", "pages/raadspakket.py", "Raadspakket", ":material/picture_as_pdf:", "raadspakket"),
    ("Organisatie", "pages/formatie.py", "Formatie en bezetting", ":material/groups:", "formatie"),
    ("Organisatie", "pages/span.py", "Span of attention", ":material/diversity_3:", "span"),
    ("Organisatie", "pages/regels.py", "Regels uit de notitie", ":material/rule:", "regels"),
    ("Organisatie", "pages/scenarios.py", "Scenario’s", ":material/alt_route:", "scenarios"),
    ("Organisatie", "pages/waswordt.py", "Van was naar wordt", ":material/move_down:", "waswordt"),
    ("Organisatie", "pages/verloop.py", "Door de tijd", ":material/timeline:", "verloop"),
    ("Opgaven", "pages/opgaven.py", "Opgaven", ":material/flag:", "opgaven"),
    ("Dienstverlening", "pages/dienstverlening.py", "Dienstverleningsnormen", ":material/support_agent:",
     "dienstverlening"),
    ("Beheer", "pages/laden.py", "Gegevens laden", ":material/upload_file:", "laden"),
    ("Beheer", "pages/versies.py", "Versies", ":material/history:", "versies"),
    ("Beheer", "pages/logboek.py", "Logboek", ":material/fact_check:", "logboek"),
    ("Beheer", "pages/instellingen.py", "Instellingen", ":material/tune:", "instellingen"),
    ("Over Stuurbord", "pages/toegankelijkheid.py", "Toegankelijkheid", ":material/accessibility_new:",
     "toegankelijkheid"),
)
# The permission that opens a page (identity.ROLE_PERMISSIONS says which roles have it). A page
# not listed needs DETAILS: every role but the raad, whose screens are an allow-list (what the
# raadspakket shows; those pages call widgets.raad_view first).
PAGE_PERMISSIONS = {
    "pages/overzicht.py": identity.BEKIJKEN,
    "pages/raadspakket.py": identity.BEKIJKEN,
    "pages/formatie.py": identity.BEKIJKEN,
    "pages/span.py": identity.BEKIJKEN,
    "pages/opgaven.py": identity.BEKIJKEN,
    "pages/dienstverlening.py": identity.BEKIJKEN,
    "pages/laden.py": identity.LADEN,
    "pages/versies.py": identity.TERUGZETTEN,
    "pages/logboek.py": identity.LOGBOEK,
    "pages/instellingen.py": identity.INSTELLINGEN,
    "pages/toegankelijkheid.py": identity.BEKIJKEN,  # the verklaring: every role, also without data
}


def page_permission(path: str) -> str:
    return PAGE_PERMISSIONS.get(path, identity.DETAILS)


def pages(who: identity.Identity | None = None) -> tuple[dict[str, list], dict[int, str]]:
    """This run's navigation: fresh st.Page objects per section. A page the person may not
    open is still registered, hidden from the menu, so a deep link to it reaches the shell's
    "Geen toegang" instead of Streamlit's "page not found"; returns the pages and, per page
    object, the permission it needs."""
    out: dict[str, list] = {}
    needs: dict[int, str] = {}
    for section, path, title, icon, url_path in PAGES:
        permission = page_permission(path)
        visible = who is not None and identity.allowed(permission, who)
        page = st.Page(path, title=title, icon=icon, url_path=url_path, default=url_path is None,
                       visibility="visible" if visible else "hidden")
        out.setdefault(section, []).append(page)
        needs[id(page)] = permission
    return out, needs


def navigation(nav: dict[str, list]) -> None:
    """The menu: Stuurbord's own, with st.page_link per visible page under its section's name.
    Streamlit's built-in menu (st.navigation position="sidebar") puts section headers as <div>s
    inside its <ul> and <li>s outside one: 171 axe violations (list, listitem) on every view
    (docs/accessibility.md). Links are plain <a>s in reading order; the open page is marked
    by Streamlit (aria-current)."""
    with st.sidebar.container(key="navigatie"):
        for section, items in nav.items():
            shown = [p for p in items if p.visibility != "hidden"]
            if not shown:
                continue
            st.markdown(f"**{section}**")
            for page in shown:
                st.page_link(page, label=page.title, icon=page.icon, width="stretch")


def sidebar(acc: identity.Access) -> None:
    versions = data.versions()
    with st.sidebar:
        toegang.sidebar_identity(acc)
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
        try:  # without a login, whether the store holds only demo data decides the door
            acc = identity.access(data.demo_only)
        except data.Unavailable as exc:  # a store that cannot be read: its Dutch message, nothing else
            st.navigation(pages(None)[0], position="hidden")
            log.exception("Database niet beschikbaar")
            st.error(str(exc), icon=":material/database:")
            return
        nav, needs = pages(acc.identity if acc.ok else None)
        # always st.navigation, also for who is not let in: without it Streamlit would route the
        # pages/ folder itself (its legacy mode)
        page = st.navigation(nav, position="hidden")
        style.apply()
        try:
            if not acc.ok:
                toegang.render(acc)  # login, Geen toegang, configuration: nothing else runs
                return
            navigation(nav)
            sidebar(acc)
            toegang.banner(acc)
            if not identity.allowed(needs[id(page)], acc.identity):
                toegang.page_denied(page.title, acc.identity, acc.contact)  # the page itself never runs
                return
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
