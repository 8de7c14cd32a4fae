"""Who is using Stuurbord, and what they may do.

The interface the rest of the app codes against: `current()` gives the person behind this
script run (name, e-mail, subject, role) and `allowed(permission)` answers whether they may
do something. Every write records `current()` (its `.label()` as text) and checks
`allowed(...)` at the moment of writing; `require(permission)` renders the Dutch
"Geen toegang" and stops the page.

Where the identity comes from (docs/access.md has the whole design):

* **OpenID Connect** (`[auth]` in .streamlit/secrets.toml): Streamlit's own login
  (st.login / st.user / st.logout). The person is who the identity provider says: `name`,
  `email`, `sub` from the ID token. Login is always required.
* **A trusted reverse proxy** (`server.trustedUserHeaders` in .streamlit/config.toml): the
  intranet's single sign-on puts the person in request headers, Streamlit copies them into
  st.user. Only safe when the app is reachable through that proxy alone.
* **No login configured**: the demo runs open (role beheer for everyone, "Demomodus" banner)
  as long as only demo versions are loaded. With other data the app shows nothing, unless
  the administrator sets STUURBORD_ZONDER_INLOG=1 (red banner: everyone sees everything).

Roles come from the identity provider's groups, mapped in `[stuurbord.rollen]` of the same
secrets file. Unknown groups, unknown roles and configuration errors all fail closed.
"""
from __future__ import annotations

import logging
import math
import os
from collections import Counter
from dataclasses import dataclass, field

import streamlit as st

log = logging.getLogger("stuurbord")

# --- permissions ------------------------------------------------------------------------------
BEKIJKEN = "bekijken"                  # the views as the raadspakket shows them (aggregates, small cells suppressed)
DETAILS = "details"                    # figures without suppression; names of people in organisational roles
                                       # (coaches, opdrachtgevers, portefeuillehouders, note authors)
PERSOONSGEGEVENS = "persoonsgegevens"  # employee-level rows: names, personeelsnummers, placement lists
LADEN = "laden"                        # Gegevens laden: upload and commit a new version, templates
TERUGZETTEN = "terugzetten"            # Versies: restore an older version, download original files
LOGBOEK = "logboek"                    # read the audit trail
NOTITIE = "notitie"                    # write a note on a KPI point
SCENARIO = "scenario"                  # save, change and delete what-if scenarios
INSTELLINGEN = "instellingen"          # settings (span norm, capacity threshold)

ROLES = ("raad", "lezer", "controller", "beheer")  # from fewest to most rights
ROLE_PERMISSIONS = {
    "raad": frozenset({BEKIJKEN}),
    "lezer": frozenset({BEKIJKEN, DETAILS, NOTITIE, SCENARIO}),
    "controller": frozenset({BEKIJKEN, DETAILS, NOTITIE, SCENARIO, PERSOONSGEGEVENS, LADEN, TERUGZETTEN, LOGBOEK}),
    "beheer": frozenset({BEKIJKEN, DETAILS, NOTITIE, SCENARIO, PERSOONSGEGEVENS, LADEN, TERUGZETTEN, LOGBOEK,
                         INSTELLINGEN}),
}
ROLE_LABELS = {"raad": "raad", "lezer": "lezer", "controller": "controller", "beheer": "beheer"}

# --- modes and states -------------------------------------------------------------------------
OIDC, PROXY, OPEN = "oidc", "proxy", "open"
OK = "ok"
LOGIN = "login"                        # OIDC configured, nobody logged in
GEEN_ROL = "geen_rol"                  # authenticated, but in none of the mapped groups
GEEN_IDENTITEIT = "geen_identiteit"    # proxy mode, but the request carried no identity
CONFIGURATIE = "configuratie"          # the login configuration is wrong: nobody gets in
ECHTE_GEGEVENS = "echte_gegevens"      # no login configured and non-demo data loaded

ZONDER_INLOG = "STUURBORD_ZONDER_INLOG"
DEFAULT_CLAIM = "groups"
DEFAULT_CONTACT = "de functioneel beheerder van Stuurbord"
MIN_SECRET_CHARS = 32
MIN_SECRET_BITS = 128
EXAMPLE_SECRET_MARK = "VERVANG"        # the example file's placeholder: refused as a secret
DEMO_NAME = "Anoniem (demomodus)"
OPEN_NAME = "Anoniem (zonder inlog)"


@dataclass(frozen=True)
class Identity:
    name: str
    email: str | None = None
    subject: str | None = None
    role: str | None = None   # None: no access at all (fail closed)
    groups: tuple[str, ...] = ()
    via: str = "app"

    def label(self) -> str:
        """How a write records this person: 'Name <e-mail>' (or the name alone)."""
        return f"{self.name} <{self.email}>" if self.email else self.name

    def shown(self) -> str:
        """How the screen names this person: 'Name (e-mail)'."""
        return f"{self.name} ({self.email})" if self.email and self.email != self.name else self.name

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role or "", "geen rol")


NOBODY = Identity(name="niet ingelogd")


@dataclass(frozen=True)
class Access:
    """This run's answer to "who is this and may they in at all"."""
    mode: str
    state: str
    identity: Identity
    problems: tuple[str, ...] = ()     # configuration errors (Dutch), for state CONFIGURATIE
    warnings: tuple[str, ...] = ()     # configuration that works but is probably not meant (Dutch)
    provider: str | None = None        # the [auth] provider st.login() uses
    contact: str = DEFAULT_CONTACT     # whom to ask for access
    logout_url: str | None = None      # proxy mode: the single sign-on's logout address
    demo: bool = False                 # open mode on demo data only
    override: bool = False             # open mode with STUURBORD_ZONDER_INLOG=1

    @property
    def ok(self) -> bool:
        return self.state == OK


# --- configuration ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Config:
    mode: str
    auth: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    claim: str = DEFAULT_CLAIM
    groups: dict = field(default_factory=dict)  # role -> frozenset of casefolded group ids/names
    provider: str | None = None
    contact: str = DEFAULT_CONTACT
    logout_url: str | None = None
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _secrets() -> dict:
    """The secrets as a plain dict ({} when there is no secrets file). Read through st.secrets
    at call time, so AppTest's `at.secrets` reaches it too."""
    s = st.secrets
    try:
        return s.to_dict() if s.load_if_toml_exists() else {}
    except Exception:  # a secrets file that cannot be read: as if there were none (the data gate still holds)
        log.exception("Kan .streamlit/secrets.toml niet lezen")
        return {}


def _trusted_headers() -> dict:
    from streamlit import config
    value = config.get_option("server.trustedUserHeaders")
    return value if isinstance(value, dict) else {}


def secret_strength(secret) -> str | None:
    """None when the cookie secret is long and random enough, else why not (Dutch).
    Random enough: at least MIN_SECRET_CHARS characters and an estimated MIN_SECRET_BITS bits
    (the Shannon entropy of its characters × its length: 'aaaa…' or a repeated word fails, a
    `secrets.token_urlsafe(32)` passes with room to spare)."""
    if not isinstance(secret, str) or not secret.strip():
        return "cookie_secret ontbreekt in [auth]"
    if EXAMPLE_SECRET_MARK in secret:
        return "cookie_secret is nog de tekst uit het voorbeeldbestand"
    if len(secret) < MIN_SECRET_CHARS:
        return f"cookie_secret is te kort ({len(secret)} tekens; minimaal {MIN_SECRET_CHARS})"
    counts = Counter(secret)
    bits = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values()) * len(secret)
    if bits < MIN_SECRET_BITS:
        return (f"cookie_secret is niet willekeurig genoeg (geschat {bits:.0f} bits; minimaal {MIN_SECRET_BITS}); "
                "maak er een met: python -c \"import secrets; print(secrets.token_urlsafe(48))\"")
    return None


_AUTH_KEYS = ("client_id", "client_secret", "server_metadata_url")


def _provider(auth: dict, problems: list[str]) -> str | None:
    """Which provider st.login() uses: the [auth] section itself ('default'), or its one
    named sub-section ([auth.microsoft])."""
    if all(k in auth for k in _AUTH_KEYS):
        return None
    named = [k for k, v in auth.items() if isinstance(v, dict) and all(x in v for x in _AUTH_KEYS)]
    if len(named) == 1:
        return named[0]
    problems.append("[auth] mist client_id, client_secret of server_metadata_url (of heeft meer dan één "
                    "aanbieder; Stuurbord gebruikt er één)")
    return None


def config(secrets: dict | None = None, headers: dict | None = None) -> Config:
    """The login configuration and everything wrong with it."""
    secrets = _secrets() if secrets is None else secrets
    headers = _trusted_headers() if headers is None else headers
    auth = secrets.get("auth") if isinstance(secrets.get("auth"), dict) else {}
    own = secrets.get("stuurbord") if isinstance(secrets.get("stuurbord"), dict) else {}
    problems: list[str] = []
    warnings: list[str] = []
    mode = OIDC if auth else PROXY if headers else OPEN
    provider = None
    if auth and headers:
        problems.append("Zowel [auth] (inloggen via OpenID Connect) als server.trustedUserHeaders (een proxy) is "
                        "ingesteld. Kies één van beide: de headers zouden de inlog overschrijven.")
    if auth:
        if "redirect_uri" not in auth:
            problems.append("[auth] mist redirect_uri (https://<server>/oauth2callback)")
        elif not str(auth["redirect_uri"]).endswith("/oauth2callback"):
            problems.append("redirect_uri in [auth] moet eindigen op /oauth2callback")
        if why := secret_strength(auth.get("cookie_secret")):
            problems.append(why)
        provider = _provider(auth, problems)
        if not _xsrf_on():
            problems.append("server.enableXsrfProtection staat uit; de inlog werkt alleen met XSRF-bescherming aan")
    rollen = own.get("rollen") if isinstance(own.get("rollen"), dict) else None
    claim, groups = DEFAULT_CLAIM, {}
    if mode != OPEN:
        if rollen is None:
            problems.append("[stuurbord.rollen] ontbreekt: zonder koppeling van groepen aan rollen komt niemand binnen")
        else:
            claim = str(rollen.get("claim") or DEFAULT_CLAIM)
            for key, value in rollen.items():
                if key == "claim":
                    continue
                if key not in ROLE_PERMISSIONS:
                    warnings.append(f"[stuurbord.rollen] kent geen rol '{key}' (wel: {', '.join(ROLES)}); "
                                    "die groepen krijgen geen toegang")
                    continue
                if isinstance(value, str):
                    value = [value]
                if not isinstance(value, list) or not all(isinstance(g, str) for g in value):
                    problems.append(f"[stuurbord.rollen] {key} moet een lijst van groepen zijn, zoals [\"groep\"]")
                    continue
                groups[key] = frozenset(g.strip().casefold() for g in value if g.strip())
            if not any(groups.values()):
                warnings.append("[stuurbord.rollen] noemt geen enkele groep: niemand krijgt toegang")
    if mode == PROXY:
        if not any(v in ("sub", "email") for v in headers.values()):
            problems.append("server.trustedUserHeaders moet een header naar 'sub' of 'email' vertalen "
                            "(wie de gebruiker is)")
        if claim not in headers.values():
            warnings.append(f"server.trustedUserHeaders vertaalt geen header naar '{claim}' (de groepen): "
                            "niemand krijgt een rol")
    return Config(mode, auth, headers, claim, groups, provider, str(own.get("contact") or DEFAULT_CONTACT),
                  own.get("uitlog_url") if isinstance(own.get("uitlog_url"), str) else None,
                  tuple(problems), tuple(warnings))


def _xsrf_on() -> bool:
    from streamlit import config as st_config
    return bool(st_config.get_option("server.enableXsrfProtection"))


def group_list(value) -> tuple[str, ...]:
    """A groups claim as a tuple: a list from an ID token, or one comma-separated header."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(g.strip() for g in value.split(",") if g.strip())
    if isinstance(value, (list, tuple)):
        return tuple(str(g).strip() for g in value if str(g).strip())
    return ()


def role_for(groups, cfg: Config) -> str | None:
    """The role of someone in these groups: the one with the most rights among the mapped
    roles they hold; None when no group is mapped (fail closed)."""
    mine = {g.casefold() for g in groups}
    for role in reversed(ROLES):
        if mine & cfg.groups.get(role, frozenset()):
            return role
    return None


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _from_user(user: dict, cfg: Config) -> Identity | None:
    """The authenticated person in st.user, or None."""
    if cfg.mode == OIDC and user.get("is_logged_in") is not True:
        return None
    subject, email = _text(user.get("sub")), _text(user.get("email"))
    if cfg.mode == PROXY and not (subject or email):
        return None
    if cfg.mode == OIDC and not (subject or email):
        return None
    name = _text(user.get("name")) or _text(user.get("preferred_username")) or email or subject
    groups = group_list(user.get(cfg.claim))
    return Identity(name=name, email=email, subject=subject or email, role=role_for(groups, cfg), groups=groups,
                    via=cfg.mode)


def _st_user() -> dict:
    try:
        return dict(st.user.to_dict())
    except Exception:
        return {}


def override() -> bool:
    return os.environ.get(ZONDER_INLOG, "").strip() == "1"


def access(demo_only=None) -> Access:
    """Who is behind this run and whether they get in. `demo_only`: a callable answering
    whether only demo versions are loaded (asked only when no login is configured)."""
    cfg = config()
    common = dict(contact=cfg.contact, warnings=cfg.warnings, provider=cfg.provider, logout_url=cfg.logout_url)
    if cfg.problems:
        return Access(cfg.mode, CONFIGURATIE, NOBODY, cfg.problems, **common)
    if cfg.mode == OPEN:
        if override():
            return Access(OPEN, OK, Identity(OPEN_NAME, role="beheer", via="zonder_inlog"), override=True, **common)
        if demo_only is None or demo_only():
            return Access(OPEN, OK, Identity(DEMO_NAME, role="beheer", via="demo"), demo=True, **common)
        return Access(OPEN, ECHTE_GEGEVENS, NOBODY, **common)
    who = _from_user(_st_user(), cfg)
    if who is None:
        return Access(cfg.mode, LOGIN if cfg.mode == OIDC else GEEN_IDENTITEIT, NOBODY, **common)
    if who.role not in ROLE_PERMISSIONS:
        return Access(cfg.mode, GEEN_ROL, who, **common)
    return Access(cfg.mode, OK, who, **common)


def current() -> Identity:
    """The person behind this script run; NOBODY (no role) when they are not let in."""
    acc = access(_demo_only)
    return acc.identity if acc.ok else NOBODY


def _demo_only() -> bool:
    from .. import data
    return data.demo_only()


def allowed(permission: str, who: Identity | None = None) -> bool:
    who = who or current()
    return permission in ROLE_PERMISSIONS.get(who.role or "", frozenset())


def require(permission: str, who: Identity | None = None) -> Identity:
    """Stop the page with the Dutch "Geen toegang" unless the person may do this; returns
    the identity (to record with the write that follows)."""
    who = who or current()
    if not allowed(permission, who):
        log.warning("Geen toegang: %s voor subject %s", permission, who.subject or "-")
        st.error(f"**Geen toegang.** Uw rol ({who.role_label}) mag dit niet. Denkt u dat dit niet klopt, vraag het "
                 f"dan aan {config().contact}.", icon=":material/block:")
        st.stop()
    return who


def log_id(who: Identity | None = None) -> str:
    """What may go into a log line about a person: the subject, nothing else."""
    who = who or current()
    return who.subject or who.via
