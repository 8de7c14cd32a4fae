"""A file over the import contract's 25 MB limit is refused in Dutch on the upload page, not
only with Streamlit's English tooltip (issue #12). The browser half is in test_browser.py."""
from __future__ import annotations

import tomllib
from pathlib import Path

import fixtures as fx
from etl.workbook import Limits
from test_page_upload import texts, upload, ww06_db  # noqa: F401 (fixtures)
from test_pages import run_page

ROOT = Path(__file__).resolve().parent.parent


def test_streamlit_lets_a_file_over_the_contract_limit_reach_the_page():
    """Streamlit refuses a file over server.maxUploadSize in the browser, in English; the page
    can only say it in Dutch when that limit is above the contract's."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 >= 2 * Limits().max_file_bytes


def test_a_file_over_the_limit_is_refused_in_dutch_before_it_is_read(ww06_db, monkeypatch):  # noqa: F811
    monkeypatch.setenv("STUURBORD_MAX_FILE_BYTES", str(2 * 1024 * 1024))
    before = fx.snapshot(ww06_db)
    at = run_page("laden.py")
    assert at.file_uploader[0].help == "Maximaal 2 MB; een groter bestand wordt geweigerd."
    upload(at, "groot.xlsx", b"PK\x03\x04" + b"\x00" * (3 * 1024 * 1024))
    assert "'groot.xlsx' is geweigerd: 1 fout" in texts(at.error)
    assert "Het bestand is 3 MB; de grens is 2 MB." in " ".join(at.dataframe[0].value["Melding"])
    assert at.file_uploader[0].value is None and "bestand_0" not in at.session_state
    assert fx.snapshot(ww06_db) == before


def test_the_reverse_proxy_lets_such_a_file_through_to_the_page():
    """nginx in front of the replicas (deploy/): a smaller body limit would answer 413 before
    the page can refuse the file in Dutch."""
    import re
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    nginx = (ROOT / "deploy" / "nginx.conf.template").read_text()
    mb = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1))
    assert mb > config["server"]["maxUploadSize"]
