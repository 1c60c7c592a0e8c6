"""docs/benchmarks.md is shared: each benchmark rewrites only its own marked section."""

from __future__ import annotations

import re
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(name: str, body: str, report: Path = REPORT) -> None:
    """Replace the section between <!-- name --> and <!-- end name --> (or append it)."""
    begin, end = f"<!-- {name} -->", f"<!-- end {name} -->"
    section = f"{begin}\n{body.strip()}\n{end}\n"
    existing = report.read_text() if report.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end) + "\n?", re.S)
    if pattern.search(existing):
        report.write_text(pattern.sub(lambda _: section, existing))
    else:
        report.write_text(f"{existing.rstrip()}\n\n{section}")
