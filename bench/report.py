"""Write one benchmark's figures into its own section of docs/PERFORMANCE.md."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "PERFORMANCE.md"
HEADER = """# Performance

Figures written by `make bench` (each section by its own benchmark; `python -m bench NAME` reruns one).
Never asserted in the test suite: a timing depends on the machine, a behaviour does not.

"""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        )
        return out.stdout.strip() or "uncommitted"
    except OSError:
        return "unknown"


def write_section(name: str, title: str, command: str, body: str) -> None:
    """Replace (or add) the section between this benchmark's markers."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    section = (
        f"{begin}\n## {title}\n\nCommand: `{command}`  \nMachine: {machine()}  \nCommit: {commit()}\n\n"
        f"{body.strip()}\n{end}"
    )
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    text = (
        pattern.sub(lambda _m: section, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section + "\n"
    )
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
