"""Sync throughput: a full pull of the fake center over loopback into SQLite, an incremental pull of
1,000 changed dossiers, and the sync process's peak memory as the dossier count grows.

The fake center runs in its own process (bench/sync_server.py) and each sync in a fresh child process,
so the figures are the sync's own: its time and its peak resident memory.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import write_section

SIZES = (50_000, 200_000)
CHANGED = 1_000


def child(port: str, db_path: str) -> None:
    """One sync into `db_path`, reporting seconds, counts and peak RSS as JSON on stdout."""
    from monitor import migrate
    from monitor.config import parse_settings
    from monitor.db import make_engine, session_factory
    from monitor.sync import sync_connector

    connector = {"name": "center", "kind": "http", "base_url": f"http://127.0.0.1:{port}"}
    settings = parse_settings({"database": {"url": f"sqlite:///{db_path}"}, "connectors": [connector]}, {})
    engine = make_engine(settings.database)
    migrate.upgrade(engine)
    started = time.perf_counter()
    summary = sync_connector(settings, session_factory(engine), "center")
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, **summary.as_json()}))


def _sync(port: str, db_path: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.sync_fake", "child", port, str(db_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    if result["status"] != "success":
        raise RuntimeError(f"sync failed: {result['error']}")
    return result


def run() -> None:
    load_before = os.getloadavg()[0]
    rows = []
    incremental: dict[str, object] = {}
    for size in SIZES:
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.sync_server", str(size)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdin is not None and server.stdout is not None
        try:
            port, served = server.stdout.readline().split()
            with tempfile.TemporaryDirectory() as folder:
                db_path = Path(folder) / "monitor.db"
                full = _sync(port, db_path)
                rows.append((int(served), full))
                print(f"full {served}: {full['seconds']:.1f} s, {full['rss_mb']:.0f} MiB", flush=True)
                if size == max(SIZES):
                    server.stdin.write(f"changes {CHANGED}\n")
                    server.stdin.flush()
                    server.stdout.readline()
                    incremental = _sync(port, db_path)
                    print(f"incremental: {incremental['seconds']:.2f} s", flush=True)
        finally:
            server.stdin.write("quit\n")
            server.stdin.flush()
            server.wait(timeout=60)
    lines = [
        "| dossiers served | full sync | dossiers/s | peak memory of the sync process |",
        "|---:|---:|---:|---:|",
    ]
    for served, full in rows:
        seconds = float(full["seconds"])
        lines.append(
            f"| {served:,} | {seconds:.1f} s | {served / seconds:,.0f} | {float(full['rss_mb']):.0f} MiB |"
        )
    changed = int(incremental.get("updated", 0)) + int(incremental.get("inserted", 0))
    lines += [
        "",
        f"Incremental sync after {CHANGED:,} dossiers changed among {max(SIZES):,}: "
        f"{float(incremental.get('seconds', 0)):.2f} s "
        f"(fetched {incremental.get('fetched')}, stored {changed} changes).",
        "",
        "Fake center in its own process on loopback, default page size (500), SQLite in WAL mode; each sync "
        "in a fresh process, memory is its peak resident set (ru_maxrss).",
        f"Load average (1 min) on this 2-core machine: {load_before:.1f} before, {os.getloadavg()[0]:.1f} "
        "after (above ~1, other work shared the cores and the figures are noisier).",
    ]
    write_section("sync_fake", "Sync from the fake center", "python -m bench sync_fake", "\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3])
    else:
        run()
