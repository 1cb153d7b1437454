"""Wall-clock benchmark of alplint runs, side by side with a baseline measured in the same sitting.

    python tools/benchmark.py [--runs 21] [--archive 10000]

Each command is run --runs times, interleaved (baseline, then each case, round after round) so that a
slow moment of the machine hits every command alike; the table gives median, min and max seconds.
The archive case lints N copies of the real forms in a temporary folder (default 10,000 forms).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _archive(folder: Path, count: int) -> Path:
    forms = sorted(SEEDS.iterdir())
    archive = folder / "archive"
    for index in range(count):
        seed = forms[index % len(forms)]
        target = archive / f"{index // 1000:02d}" / f"{index:05d}{seed.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed, target)
    return archive


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--archive", type=int, default=10_000, help="forms in the archive case (0 to skip)")
    args = parser.parse_args()
    python = sys.executable
    one_form = str(SEEDS / "000_0895e367f9611072.txt")
    cases = {
        'python -c "import jsonschema, yaml" (baseline)': [python, "-c", "import jsonschema, yaml"],
        "python -c pass (interpreter start)": [python, "-c", "pass"],
        "alplint ONE_FORM": [python, "-m", "alplint", one_form],
        "alplint --ignore ALP3 ONE_FORM (no location check)": [
            python,
            "-m",
            "alplint",
            "--ignore",
            "ALP3",
            one_form,
        ],
        "alplint seeds/": [python, "-m", "alplint", str(SEEDS)],
    }
    with tempfile.TemporaryDirectory() as temporary:
        if args.archive:
            archive = _archive(Path(temporary), args.archive)
            cases[f"alplint ARCHIVE ({args.archive:,} forms)"] = [python, "-m", "alplint", str(archive)]
        timings: dict[str, list[float]] = {name: [] for name in cases}
        for round_number in range(args.runs):
            for name, command in cases.items():
                if "ARCHIVE" in name and round_number >= max(3, args.runs // 4):
                    continue  # a few runs of the long case are enough for a stable median
                timings[name].append(_time(command))
    width = max(map(len, cases))
    print(f"{'command':<{width}}  {'median':>8}  {'min':>8}  {'max':>8}  runs")
    for name, values in timings.items():
        print(
            f"{name:<{width}}  {statistics.median(values):8.3f}  {min(values):8.3f}  {max(values):8.3f}  {len(values)}"
        )


if __name__ == "__main__":
    main()
