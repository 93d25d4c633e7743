"""``dkp-harness time now`` against a running sandbox vs ``python -c pass``: a client command's cost.

The client commands (``time``, ``settle``, ``module``) are run by scripts and people in loops, so
what they cost beyond starting Python matters. A sandbox (``dkp-harness serve``) is started
first; then each round runs the bare interpreter and the command back to back, alternating which
goes first, with the same interpreter (the venv's). Budget: median paired ratio <= 1.5.

Run: ``.venv/bin/python benchmarks/cli.py [--rounds 20]``.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _paired import Row, emit, paired

BUDGET = 1.5
READY_TIMEOUT = 30.0  # seconds for `serve` to print its ready line


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-400:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    from harness.registry.backends.distribution import find_binary

    if find_binary() is None:
        print("skipped: the sandbox needs a registry binary: apt-get install -y docker-registry")
        return 0
    python = sys.executable
    script = Path(python).with_name("dkp-harness")
    command = [str(script)] if script.exists() else [python, "-m", "harness"]
    with tempfile.TemporaryDirectory() as state:
        serve = subprocess.Popen(
            [*command, "serve", "--state-dir", state],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            ready, _, _ = select.select([serve.stdout], [], [], READY_TIMEOUT)
            line = serve.stdout.readline() if ready and serve.stdout else ""
            if not line.startswith("ready "):
                raise SystemExit(f"the sandbox did not start: {line!r}")
            now = [*command, "time", "--state-dir", state, "now"]
            bare = [python, "-c", "pass"]
            timed(bare), timed(now)  # warm the page cache
            result = paired(lambda: timed(bare), lambda: timed(now), args.rounds, report=False)
        finally:
            serve.send_signal(signal.SIGTERM)
            serve.communicate(timeout=30)
    print(f"`dkp-harness time now` vs `python -c pass`: {result.describe()}")
    low, high = result.spread
    emit(
        Row(
            name="`dkp-harness time now` vs `python -c pass`",
            figure=f"{sorted(result.subject)[args.rounds // 2] * 1e3:.0f} ms",
            baseline=f"{sorted(result.bare)[args.rounds // 2] * 1e3:.0f} ms",
            value=result.ratio,
            budget=BUDGET,
            spread=f"{low:.2f}-{high:.2f}",
        )
    )
    return 0


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    raise SystemExit(main())
