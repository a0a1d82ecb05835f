"""Run the benchmarks named on the command line, or all of them."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["calendar_due", "report_month", "alerts_digest", "sync_fake", "evaluate_million", "web_pages"]


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    for name in names:
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
