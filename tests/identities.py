"""People and secrets for the access tests: the README's example secrets file
(.streamlit/secrets.example.toml) with its placeholders filled, and one person per role,
injected into AppTest the way the shell reads them (at.secrets for the configuration,
at.user for st.user, as a real login fills it)."""
from __future__ import annotations

import copy
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / ".streamlit" / "secrets.example.toml"
COOKIE_SECRET = "k3Vq9-TzW8pLx2Rb7Nf0Yc4Hs6Ud1Ga5Je-MoPi_Qw"  # a token_urlsafe-like test value

PEOPLE = {
    "lezer": {"sub": "u-0001", "name": "Lotte Lezer", "email": "lotte.lezer@wassenaar.example",
              "groups": ["GG-Stuurbord-Lezers"]},
    "controller": {"sub": "u-0002", "name": "Carla Controller", "email": "carla.controller@wassenaar.example",
                   "groups": ["GG-Stuurbord-Controllers", "GG-Iedereen"]},
    "beheer": {"sub": "u-0003", "name": "Bert Beheer", "email": "bert.beheer@wassenaar.example",
               "groups": ["GG-Stuurbord-Beheer"]},
    "raad": {"sub": "u-0004", "name": "Rob Raadslid", "email": "rob.raadslid@wassenaar.example",
             "groups": ["GG-Raadsleden"]},
    "geen": {"sub": "u-0005", "name": "Gerrit Gast", "email": "gerrit.gast@wassenaar.example",
             "groups": ["GG-Iedereen"]},
}
ROLES = ("raad", "lezer", "controller", "beheer")


def example_secrets(metadata_url: str = "https://idp.example/.well-known/openid-configuration",
                    redirect_uri: str = "http://localhost:8501/oauth2callback") -> dict:
    """The README's example file as a dict, with the VERVANG placeholders filled."""
    s = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    s["auth"].update(redirect_uri=redirect_uri, cookie_secret=COOKIE_SECRET, client_id="stuurbord",
                     client_secret="test-geheim", server_metadata_url=metadata_url)
    return s


def example_toml(metadata_url: str, redirect_uri: str) -> str:
    """The example file's text with the placeholders filled (what IT writes)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in (("https://stuurbord.wassenaar.nl/oauth2callback", redirect_uri),
                     ("VERVANG-door-een-lange-willekeurige-tekenreeks", COOKIE_SECRET),
                     ("VERVANG-client-id", "stuurbord"), ("VERVANG-client-secret", "test-geheim"),
                     ("https://login.microsoftonline.com/VERVANG-tenant-id/v2.0/.well-known/openid-configuration",
                      metadata_url)):
        assert old in text, old
        text = text.replace(old, new)
    assert "VERVANG" not in text.split("cookie_secret")[1].splitlines()[0]
    return text


def login(at, who: str | None, secrets: dict | None = None):
    """Configure OIDC login on an AppTest and log `who` in ("lezer", ..., "geen" for someone
    without a mapped group, None for nobody logged in)."""
    at.secrets = copy.deepcopy(secrets or example_secrets())
    if who is None:
        at.user = {"is_logged_in": False}
    else:
        at.user = {"is_logged_in": True, **copy.deepcopy(PEOPLE[who])}
    return at


def without_login(at):
    """No login configured (whatever .streamlit/secrets.toml a developer has locally)."""
    at.secrets = {"stuurbord": {"contact": "de test"}}
    at.user = {}
    return at
