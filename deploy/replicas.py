"""Run Stuurbord as several Streamlit replicas behind nginx on this machine.

    python deploy/replicas.py start [--replicas 2] [--port 8600] [--server-name localhost] [--db PATH]
    python deploy/replicas.py stop
    python deploy/replicas.py status

Every replica is a `streamlit run app.py` on 127.0.0.1 (ports port+1, port+2, ...), all on
the same database and therefore the same snapshot folder (etl/snapshot.py): they read the
current snapshot, and a load through any of them (or `python -m etl load`) is seen by all of
them on the next click. nginx (Debian's package) listens on --port, keeps each browser on
one replica (a Streamlit session lives on one websocket), adds the security headers and
refuses other host names. Files live in deploy/run/ (logs, pids, the rendered nginx.conf).
See docs/deployment.md for production and for more than one machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = Path(os.environ.get("STUURBORD_DEPLOY_RUN") or ROOT / "deploy" / "run")
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _wait_http(url: str, timeout: float = 60, host: str | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            req = urllib.request.Request(url, headers={"Host": host} if host else {})
            with urllib.request.urlopen(req, timeout=2):
                return
        except Exception:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} antwoordt niet na {timeout:.0f} s")
            time.sleep(0.2)


def render(port: int, server_name: str, replica_ports: list[int], prefix: Path) -> str:
    ups = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in replica_ports)
    return (TEMPLATE.read_text(encoding="utf-8").replace("@PREFIX@", str(prefix)).replace("@LISTEN@", str(port))
            .replace("@SERVER_NAME@", server_name).replace("@UPSTREAMS@", ups))


def start(replicas: int = 2, port: int = 8600, server_name: str = "localhost", db: str | None = None,
          run: Path = RUN, python: str = sys.executable) -> dict:
    """Start the replicas and nginx; returns {"url", "replica_pids", "nginx_pid", "ports"}."""
    stop(run)
    (run / "tmp").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("MALLOC_ARENA_MAX", "2")  # memory after large uploads (docs/architecture.md, "Memory")
    if db:
        env["STUURBORD_DB"] = str(Path(db).resolve())
    ports = [port + 1 + i for i in range(replicas)]
    hosts = sorted({server_name, "localhost", "127.0.0.1"})
    pids = []
    for i, p in enumerate(ports):
        log = open(run / f"replica-{i + 1}.log", "wb")
        cmd = [python, "-m", "streamlit", "run", "app.py", "--server.port", str(p), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
        for h in hosts:
            cmd += ["--server.allowedHosts", h]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        pids.append(proc.pid)
    (run / "replicas.pid").write_text("\n".join(map(str, pids)))
    (run / "nginx.conf").write_text(render(port, " ".join(hosts), ports, run))
    nginx = subprocess.Popen([NGINX, "-p", str(run), "-c", str(run / "nginx.conf"), "-g", "daemon off;"],
                             stdout=open(run / "nginx.out", "wb"), stderr=subprocess.STDOUT, start_new_session=True)
    (run / "nginx.pidfile").write_text(str(nginx.pid))
    for p in ports:
        _wait_http(f"http://127.0.0.1:{p}/_stcore/health")
    _wait_http(f"http://127.0.0.1:{port}/_stcore/health", host="localhost")
    return {"url": f"http://localhost:{port}", "replica_pids": pids, "nginx_pid": nginx.pid, "ports": ports}


def _pids(run: Path) -> list[int]:
    out = []
    for name in ("replicas.pid", "nginx.pidfile"):
        f = run / name
        if f.exists():
            out += [int(x) for x in f.read_text().split() if x.strip()]
            f.unlink()
    return out


def stop(run: Path = RUN) -> None:
    for pid in _pids(run):
        try:
            os.killpg(pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            continue
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python deploy/replicas.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["start", "stop", "status"])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--port", type=int, default=8600)
    ap.add_argument("--server-name", default="localhost")
    ap.add_argument("--db")
    args = ap.parse_args(argv)
    if args.command == "stop":
        stop()
        print("Gestopt.")
        return 0
    if args.command == "status":
        files = [RUN / "replicas.pid", RUN / "nginx.pidfile"]
        print("Draait." if all(f.exists() for f in files) else "Draait niet.")
        return 0
    info = start(args.replicas, args.port, args.server_name, args.db)
    print(f"Stuurbord draait op {info['url']} ({args.replicas} replica's: poorten "
          f"{', '.join(map(str, info['ports']))}; logbestanden in {RUN}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
