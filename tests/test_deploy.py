"""Two Streamlit replicas behind nginx (deploy/replicas.py): security headers on every
response, other host names refused (also for websockets: DNS rebinding), sessions spread
over both replicas without errors, and a load shown by both (one snapshot folder)."""
from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

import fixtures as fx
from etl.demo import load_demo

sys.path.insert(0, str(fx.ROOT / "bench"))
sys.path.insert(0, str(fx.ROOT / "deploy"))
import replicas  # noqa: E402
import sessions  # noqa: E402

HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000",
    "Permissions-Policy": "camera=()",
}


def _free_ports(n: int) -> int:
    """A base port with n free ports above it."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + n < 65000 and all(_free(base + i) for i in range(n + 1)):
            return base


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deploy")
    db = tmp / "stuurbord.duckdb"
    load_demo(db=db, log=lambda *_: None)
    for attempt in range(3):  # a port found free can be taken by another process before a replica binds it
        port = _free_ports(3)
        try:
            info = replicas.start(2, port, "localhost", str(db), run=tmp / "run")
            break
        except RuntimeError:
            replicas.stop(tmp / "run")
            if attempt == 2:
                raise
    info.update(db=db, run=tmp / "run", port=port)
    yield info
    replicas.stop(tmp / "run")


def _get(url: str, host: str = "localhost"):
    req = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.mark.parametrize("path", ["/", "/span", "/static/bestaat-niet.js"])
def test_security_headers_on_every_response(deployment, path):
    status, headers, _ = _get(f"http://127.0.0.1:{deployment['port']}{path}")
    assert status in (200, 404)
    for name, part in HEADERS.items():
        assert part in headers.get(name, ""), (name, headers.get(name))
    csp = headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob:" in csp and "default-src 'self'" in csp  # no outside image, ever
    assert headers.get("Server") == "nginx"  # no version


def test_other_host_names_are_refused(deployment):
    status, _, _ = _get(f"http://127.0.0.1:{deployment['port']}/", host="aanvaller.example")
    assert status == 421


def _ws_handshake(port: int, host: str, origin: str) -> int:
    """Status of a websocket upgrade to /_stcore/stream with this Host and Origin."""
    key = "dGhlIHNhbXBsZSBub25jZQ=="
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall((f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n"
                   f"Origin: {origin}\r\n\r\n").encode())
        head = s.recv(4096).decode("latin-1")
    return int(head.split()[1])


def test_a_foreign_websocket_is_not_upgraded(deployment):
    """DNS rebinding: a page on another site whose name resolves to this server."""
    assert _ws_handshake(deployment["port"], "localhost", f"http://localhost:{deployment['port']}") == 101
    assert _ws_handshake(deployment["port"], "aanvaller.example", "http://aanvaller.example") != 101
    # and on a replica itself, past nginx (server.allowedHosts)
    replica = deployment["ports"][0]
    assert _ws_handshake(replica, "aanvaller.example", "http://aanvaller.example") != 101


def test_sessions_spread_over_both_replicas_without_errors(deployment):
    res = sessions.run(f"http://localhost:{deployment['port']}", 6, pages=("", "span", "formatie"))
    assert all(row["errors"] == 0 for row in res["pages"].values()), res
    log = (deployment["run"] / "access.log").read_text()
    used = set(re.findall(r'"GET /_stcore/stream [^"]*" 101 .*upstream=127\.0\.0\.1:(\d+)', log))
    assert used == {str(p) for p in deployment["ports"]}


def test_a_browser_stays_on_its_replica(deployment):
    """The sticky cookie from the first response keeps every later request on one replica."""
    status, headers, _ = _get(f"http://127.0.0.1:{deployment['port']}/")
    cookie = headers["Set-Cookie"].split(";")[0]
    for _ in range(6):
        req = urllib.request.Request(f"http://127.0.0.1:{deployment['port']}/_stcore/health",
                                     headers={"Host": "localhost", "Cookie": cookie})
        urllib.request.urlopen(req, timeout=20).read()
    sticky = cookie.split("=", 1)[1]
    ups = set(re.findall(rf"upstream=(\S+) sticky={sticky}", (deployment["run"] / "access.log").read_text()))
    assert len(ups) == 1


def test_a_load_is_seen_by_both_replicas(deployment, tmp_path):
    async def sidebar_texts(port: int) -> str:
        s = sessions.Session(f"http://127.0.0.1:{port}")
        await s.connect()
        try:
            _, errors, _ = await s.run_page("")
            assert errors == 0
            return "\n".join(s.texts)
        finally:
            await s.close()
    for port in deployment["ports"]:
        assert "Was/wordt-lijst: versie 2" in asyncio.run(sidebar_texts(port))
    done = subprocess.run([sys.executable, "-m", "etl", "restore", "wasword", "1", "--db", str(deployment["db"])],
                          cwd=fx.ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for port in deployment["ports"]:
        assert "Was/wordt-lijst: versie 1" in asyncio.run(sidebar_texts(port))
