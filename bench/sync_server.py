"""A fake center in its own process for the sync benchmarks, driven through stdin.

`python -m bench.sync_server SIZE` prints its port, then obeys lines: `changes N` moves its clock until N
more dossiers have changed; `quit` stops it. Its own process keeps the server's work off the measured one.
"""

from __future__ import annotations

import datetime as dt
import sys

from connectors.fake import FakeCenter, make_server

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.value = NOW

    def __call__(self) -> dt.datetime:
        return self.value


def main(size: int) -> None:
    clock = Clock()
    center = FakeCenter(seed=1, size=size, now=NOW, clock=clock, speed=1.0, future_days=0)
    server, _stop = make_server(center, "127.0.0.1", 0)
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], len(center.snapshots()), flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "changes":
            target = center.time_of_changes(int(args[0]))
            clock.value = NOW + (target - center.now().replace(tzinfo=target.tzinfo)) + (clock.value - NOW)
            print(len(center.snapshots()), flush=True)
        elif command == "quit":
            break
    server.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]))
