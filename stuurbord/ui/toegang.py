"""The screens of the door: login, "Geen toegang", a wrong configuration, real data without a
login, and the person in the sidebar. Layout only; who gets in is decided in
stuurbord.access.identity and enforced by the shell before any page runs."""
from __future__ import annotations

import logging

import streamlit as st

from ..access import identity
from ..access.identity import Access
from . import safe

log = logging.getLogger("stuurbord")
_LOGGED: set = set()  # configuration problems already in the server log (once, not on every run)

README_HINT = "De README (hoofdstuk *Inloggen en rollen*) en `.streamlit/secrets.example.toml` laten zien hoe."


def render(acc: Access) -> None:
    """The whole page for everyone who is not let in (acc.ok is False): no data, no navigation."""
    {identity.LOGIN: login, identity.GEEN_ROL: geen_rol, identity.GEEN_IDENTITEIT: geen_identiteit,
     identity.CONFIGURATIE: configuratie, identity.ECHTE_GEGEVENS: echte_gegevens}[acc.state](acc)


def login(acc: Access) -> None:
    st.title("Stuurbord")
    st.markdown("Welkom bij Stuurbord, het managementdashboard van de ambtelijke organisatie van de gemeente "
                "Wassenaar. Log in met uw account van de gemeente.")
    if st.button("Inloggen", type="primary", icon=":material/login:", key="inloggen"):
        st.login(acc.provider) if acc.provider else st.login()


def _logout_button(acc: Access, key: str) -> None:
    if acc.mode == identity.OIDC:
        if st.button("Uitloggen", icon=":material/logout:", key=key):
            st.logout()
    elif acc.logout_url:
        st.link_button("Uitloggen", acc.logout_url, icon=":material/logout:")


def geen_rol(acc: Access) -> None:
    who = acc.identity
    log.warning("Geen toegang: geen rol voor subject %s", who.subject or "-")
    st.title("Geen toegang")
    # a name and an e-mail address come from the identity provider: a user's own text (stuurbord.ui.safe)
    st.markdown(f"U bent ingelogd als **{safe.md(who.name)}**{f' ({safe.md(who.email)})' if who.email else ''}, "
                f"maar u hebt geen rol "
                f"in Stuurbord. Vraag {acc.contact} om u toe te voegen aan een van de groepen van Stuurbord "
                "(lezer, controller, beheer of raad). Log daarna opnieuw in.")
    _logout_button(acc, "uitloggen_geen_rol")


def geen_identiteit(acc: Access) -> None:
    st.title("Geen toegang")
    st.markdown("Stuurbord kreeg van het intranet niet door wie u bent. Open Stuurbord via het intranetadres, of "
                f"vraag {acc.contact} om hulp.")


def configuratie(acc: Access) -> None:
    key = tuple(acc.problems)
    if key not in _LOGGED:
        _LOGGED.add(key)
        log.error("Stuurbord laat niemand binnen; de inlog is verkeerd ingesteld: %s", "; ".join(acc.problems))
    st.title("Stuurbord is niet goed ingesteld")
    st.error("Tot dit is opgelost laat Stuurbord niemand binnen.", icon=":material/lock:")
    st.markdown("Voor de beheerder van de server:\n\n" + "\n".join(f"- {p}" for p in acc.problems)
                + f"\n\n{README_HINT} Controleer de instelling met `python -m stuurbord.access`.")


def echte_gegevens(acc: Access) -> None:
    st.title("Stuurbord: inloggen is nog niet ingesteld")
    st.error("Er zijn echte gegevens geladen, maar er is geen inlog ingesteld. Daarom toont Stuurbord niets.",
             icon=":material/lock:")
    st.markdown(
        "Voor IT: stel in `.streamlit/secrets.toml` de inlog via de identity provider van de gemeente in "
        "(sectie `[auth]`: `redirect_uri`, `cookie_secret`, `client_id`, `client_secret`, `server_metadata_url`) "
        "en koppel groepen aan rollen (sectie `[stuurbord.rollen]`). " + README_HINT + "\n\n"
        "Alleen voor een afgeschermde testomgeving kan de beheerder `STUURBORD_ZONDER_INLOG=1` zetten; dan ziet "
        "iedereen die Stuurbord kan bereiken alle gegevens.")


def page_denied(title: str, who: identity.Identity, contact: str) -> None:
    """A deep link to a page the role may not open: this message, and the page never runs."""
    log.warning("Geen toegang tot %s voor subject %s", title, who.subject or who.via)
    st.title("Geen toegang")
    st.error(f"U hebt geen toegang tot **{title}**: uw rol ({who.role_label}) mag deze pagina niet openen. Denkt u "
             f"dat dit niet klopt, vraag het dan aan {contact}.", icon=":material/block:")


def banner(acc: Access) -> None:
    """On every page: what kind of door this is when there is no login."""
    if acc.override:
        st.error("**Zonder inlog** (STUURBORD_ZONDER_INLOG=1): iedereen die Stuurbord kan bereiken, ziet alle "
                 "gegevens, ook namen en personeelsnummers, en kan gegevens laden en terugzetten.",
                 icon=":material/lock_open:")
    elif acc.demo:
        st.warning("**Demomodus — geen inlog.** Iedereen die Stuurbord kan bereiken, kan alles zien en wijzigen. "
                   "Dat kan alleen zolang er uitsluitend demogegevens zijn geladen.", icon=":material/science:")


def sidebar_identity(acc: Access) -> None:
    who = acc.identity
    with st.container(key="identiteit"):
        if acc.mode == identity.OPEN:
            st.markdown(f"**{'Zonder inlog' if acc.override else 'Demomodus — geen inlog'}**  \n"
                        f"Rol: {who.role_label} (iedereen)")
            return
        st.markdown(f"**{safe.md(who.name)}**  \nRol: {who.role_label}")
        if who.email and who.email != who.name:
            st.caption(safe.md(who.email))
        _logout_button(acc, "uitloggen")
