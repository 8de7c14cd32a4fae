"""Who may see personal data (names, personeelsnummers), and the one place that
drops it. Stuurbord has no login of its own; the role comes from the server's
environment (STUURBORD_ROLE), so a deployment for the raad runs with role 'raad'.
Exports for the raad never include personal columns, whatever the role.
"""
from __future__ import annotations

import os

import pandas as pd

PERSONAL_COLUMNS = ("personeelsnummer", "naam")
ROLES_WITH_PERSONAL_DATA = ("beheer", "management")


def role() -> str:
    return os.environ.get("STUURBORD_ROLE", "management").strip().lower()


def may_see_personal_data() -> bool:
    return role() in ROLES_WITH_PERSONAL_DATA


def without_personal(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=[c for c in PERSONAL_COLUMNS if c in df.columns])
