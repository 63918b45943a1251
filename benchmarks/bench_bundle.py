"""Export and import of the large review's bundle: time and peak memory, against json.dumps and
json.loads of the same bundle dict measured in the same run.

Each operation runs in a fresh child process, so its peak memory is its own: the child imports
what it needs, notes its peak resident size (ru_maxrss), runs the operation once, and reports the
CPU and wall time of the operation and how far the peak rose above the resident size it had
before. The operations are the CLI's own paths:
- export: bundle.export_file (read every row, validate against the schema, write atomically);
- import: bundle.import_file (strict parse, schema, references, then one transaction) into a
  copy of the large folder;
- baseline: json.dumps of the exported dict, and json.loads of the exported file's text.

    python benchmarks/bench_bundle.py
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def child(op: str, data_dir: Path, path: Path) -> None:
    """Run one operation and print its figures as one JSON line."""
    from large_review import large_review_id

    from reviewer_tui import bundle
    from reviewer_tui.cli import open_folder
    from reviewer_tui.reviews import Store

    folder = open_folder(data_dir)
    store = Store(folder)
    rid = large_review_id(data_dir)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data = json.loads(text) if op == "dumps" else None
    folder.engine()  # SQLAlchemy loaded and connected before the clock starts, in both
    before = _peak_mb()
    c0, w0 = time.process_time(), time.perf_counter()
    result: Any
    if op == "export":
        result = len(bundle.export_file(store, rid, path)["chronology"])
    elif op == "import":
        new_id = bundle.import_file(store, path)
        result = new_id != rid
    elif op == "dumps":
        result = len(json.dumps(data, ensure_ascii=False, indent=2))
    elif op == "loads":
        result = len(json.loads(text)["chronology"])
    else:
        raise SystemExit(f"unknown operation {op}")
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    folder.close()
    out = {"cpu": cpu, "wall": wall, "peak_mb": _peak_mb(), "rise_mb": _peak_mb() - before}
    print(json.dumps(out | {"result": result}))


def run(op: str, data_dir: Path, path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", op, str(data_dir), str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return 0
    from budget import reported
    from large_review import copy_of_large_folder

    print(f"load average {os.getloadavg()[0]:.1f} at start", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = copy_of_large_folder(Path(tmp))
        path = Path(tmp) / "large.json"
        export = run("export", data_dir, path)
        size = path.stat().st_size / 1e6
        dumps = run("dumps", data_dir, path)
        imported = run("import", data_dir, path)
        loads = run("loads", data_dir, path)
    for name, figures, base, base_name in (
        ("export", export, dumps, "json.dumps"),
        ("import", imported, loads, "json.loads"),
    ):
        print(
            f"  {name}: {figures['cpu'] * 1000:.0f} ms CPU, {figures['wall'] * 1000:.0f} ms "
            f"wall, peak {figures['peak_mb']:.0f} MB (+{figures['rise_mb']:.0f} MB); "
            f"{base_name}: {base['cpu'] * 1000:.0f} ms CPU, +{base['rise_mb']:.0f} MB",
            flush=True,
        )
        reported(
            f"{name} of the large review's bundle ({size:.0f} MB), time",
            f"{figures['wall'] * 1000:.0f} ms wall, {figures['cpu'] * 1000:.0f} ms CPU = "
            f"{figures['cpu'] / base['cpu']:.1f}x {base_name} of the same bundle "
            f"({base['cpu'] * 1000:.0f} ms CPU)",
        )
        reported(
            f"{name} of the large review's bundle ({size:.0f} MB), peak memory",
            f"+{figures['rise_mb']:.0f} MB above the process before it (peak resident "
            f"{figures['peak_mb']:.0f} MB) = {figures['rise_mb'] / max(base['rise_mb'], 1):.1f}x "
            f"{base_name} of the same bundle (+{base['rise_mb']:.0f} MB)",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
