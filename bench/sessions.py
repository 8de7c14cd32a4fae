"""Many sessions at once, through Streamlit's own websocket protocol (no browser, so the
clients cost almost no CPU and the figures are the server's).

Each simulated session opens `/_stcore/stream`, and for every page in turn all sessions
send a `rerun_script` BackMsg with that page's `page_name` at the same moment, then read
ForwardMsgs until `script_finished`. Per page it reports the median and p95 of the
server-side time (rerun request to script_finished) and the errors: exception elements and
the app's Dutch error alerts ("Er ging iets mis", "Database niet beschikbaar").

    python bench/sessions.py --url http://127.0.0.1:8501 --sessions 20 [--rounds 2] [--pid PID]

--pid: the server process (or processes, comma-separated), to report memory (RSS) before
the sessions connect and after all pages have run in every session: memory per session.
Importable: `run(url, sessions, pages, rounds)` returns the figures (used by bench/run.py).
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# page_name as in the URL (st.Page url_path; "" = the default page)
PAGES = ("", "formatie", "span", "regels", "scenarios", "waswordt", "verloop", "opgaven", "dienstverlening", "versies",
         "laden", "raadspakket")
ERROR_TEXTS = ("Er ging iets mis", "kan niet worden gelezen", "is bezet")


def _messages():
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    return BackMsg, ForwardMsg


class Session:
    def __init__(self, url: str, headers: dict | None = None) -> None:
        self.ws_url = url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/") + "/_stcore/stream"
        self.headers = headers or {}
        self.conn = None
        self.texts: list[str] = []  # markdown of the last run (for tests that read the screen)

    async def connect(self) -> None:
        from websockets.asyncio.client import connect  # Streamlit's own server dependency
        self.conn = await connect(self.ws_url, subprotocols=["streamlit"], max_size=256 * 1024 * 1024,
                                  open_timeout=60, additional_headers=self.headers)

    async def run_page(self, page: str, timeout: float = 120) -> tuple[float, int, str]:
        """(seconds from the rerun request to script_finished, errors seen, status)."""
        BackMsg, ForwardMsg = _messages()
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_name = page
        start = time.perf_counter()
        await self.conn.send(msg.SerializeToString())
        errors = 0
        self.texts = []
        deadline = start + timeout
        while True:
            try:
                raw = await asyncio.wait_for(self.conn.recv(), max(0.1, deadline - time.perf_counter()))
            except Exception as exc:  # closed, or no script_finished in time
                return time.perf_counter() - start, errors + 1, type(exc).__name__
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                which = el.WhichOneof("type")
                if which == "markdown":
                    self.texts.append(el.markdown.body)
                elif which == "exception":
                    errors += 1
                elif which == "alert" and any(t in el.alert.body for t in ERROR_TEXTS):
                    errors += 1
            elif kind == "page_not_found":
                errors += 1
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    continue  # a rerun of our own request superseded it; wait for the real end
                return time.perf_counter() - start, errors, status

    async def close(self) -> None:
        if self.conn is not None:
            await self.conn.close()


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(0.95 * len(values)) - 1))]


async def _run(url: str, n: int, pages: tuple[str, ...], rounds: int, pids: list[int]) -> dict:
    sessions = [Session(url) for _ in range(n)]
    mem_before = rss_mb(pids) if pids else None
    await asyncio.gather(*(s.connect() for s in sessions))
    out: dict = {"pages": {}, "sessions": n}
    try:
        for _ in range(rounds):
            for page in pages:
                results = await asyncio.gather(*(s.run_page(page) for s in sessions))
                row = out["pages"].setdefault(page or "overzicht", {"times": [], "errors": 0})
                row["times"] += [t for t, _, _ in results]
                row["errors"] += sum(e for _, e, _ in results)
        mem_after = rss_mb(pids) if pids else None
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    for row in out["pages"].values():
        row["median"] = statistics.median(row["times"])
        row["p95"] = p95(row["times"])
    if pids:
        out["rss_before_mb"], out["rss_after_mb"] = mem_before, mem_after
        out["mb_per_session"] = (mem_after - mem_before) / n
    return out


def run(url: str, sessions: int, pages: tuple[str, ...] = PAGES, rounds: int = 1, pids: list[int] | None = None) -> dict:
    return asyncio.run(_run(url, sessions, pages, rounds, pids or []))


def report(res: dict, label: str = "") -> None:
    print(f"{label}{res['sessions']} sessies tegelijk")
    print(f"  {'pagina':<16} {'mediaan':>8} {'p95':>8} {'fouten':>7}")
    for page, row in res["pages"].items():
        print(f"  {page:<16} {row['median']:>7.2f}s {row['p95']:>7.2f}s {row['errors']:>7}")
    worst = max(row["p95"] for row in res["pages"].values())
    errors = sum(row["errors"] for row in res["pages"].values())
    print(f"  slechtste p95 {worst:.2f} s, fouten {errors}")
    if "mb_per_session" in res:
        print(f"  geheugen: {res['rss_before_mb']:.0f} MB → {res['rss_after_mb']:.0f} MB, "
              f"{res['mb_per_session']:.1f} MB per sessie")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8501")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--pid", default="", help="server process id(s), comma-separated, for memory per session")
    args = ap.parse_args(argv)
    pids = [int(p) for p in args.pid.split(",") if p]
    res = run(args.url, args.sessions, tuple(args.pages.split(",")), args.rounds, pids)
    report(res)
    return 0 if all(row["errors"] == 0 for row in res["pages"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
