"""How fast alplint is, always measured beside a floor in the same sitting.

    python tools/benchmark.py                          # everything, with a 10,000-form generated archive
    python tools/benchmark.py --generated 10000,50000  # memory flatness: two sizes
    python tools/benchmark.py --only archive --runs 3  # cases whose name contains "archive"
    python tools/benchmark.py --python /tmp/venv/bin/python   # an installed wheel

Machines are shared and noisy, so every figure is a median of several runs, the commands of one table
are run in turn (floor, alplint, floor, alplint...) so that a slow moment hits them alike, and each
figure is given as a ratio to its floor:

- the start-up cases (one form, ``--version``, ``--help``, ``seeds/``) against
  ``python -c "import jsonschema, yaml"``, what any tool built on those libraries pays;
- the archive cases against the floor of reading an archive at all: walk the folder, read and decode
  every file, and find its ``[[...]]`` tags with one regular expression pass.

Archives: the real SDG Commons archive when ``../shared/sdg-commons/pages`` is there, and generated ones
(``--generated``): forms of every template filled in with varied text, countries, lengths, encodings
and mistakes, about 11 KB each, built from alplint's own drafts with a fixed random seed, so the same
command builds the same bytes (``--keep DIR`` keeps them to compare reports before and after a change).

Each run reports wall time, CPU time (user + system, children included) and peak memory: the largest
resident set of one process (``ru_maxrss``, what ``/usr/bin/time -v`` shows) and, sampled every 20 ms,
the largest sum over the process and its children (what a machine running ``--jobs N`` must hold).
Python files are compiled once before measuring, so a ``PYTHONDONTWRITEBYTECODE=1`` environment does not
make every run compile alplint again.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REAL_ARCHIVE = ROOT.parent / "shared" / "sdg-commons" / "pages"

FLOOR_SCRIPT = r"""
import os, re, sys
tag = re.compile(r"\[\[[^\]\n]*\]\]")
count = 0
for root, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith((".md", ".txt")):
            with open(os.path.join(root, name), "rb") as handle:
                text = handle.read().decode("utf-8", "replace")
            count += len(tag.findall(text))
print(count)
"""


@dataclass(frozen=True, slots=True)
class Sample:
    wall: float
    cpu: float
    peak_process_mb: float
    peak_tree_mb: float
    status: int


def _tree_rss_kb(pid: int) -> int:
    """The resident memory of a process and all its descendants, in KB (0 once it is gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii", errors="replace") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(command: Sequence[str], env: dict[str, str] | None = None) -> Sample:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, _tree_rss_kb(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Sample(
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        max(peak_tree, usage.ru_maxrss) / 1024,
        process.returncode,
    )


# --- generated archives ---------------------------------------------------------------------------

_VOCABULARY = (
    "community data herders market climate finance youth women digital platform pilot survey rangeland "
    "water energy solar waste circular economy recycling farmers cooperative municipality ministry "
    "partners learning evidence experiment prototype scale informal workers mobility health clinic "
    "school teachers students innovation mapping collective intelligence behavioural insights "
    "portfolio systems transformation resilience adaptation biodiversity forest coast fisheries "
    "tourism migrants refugees inclusion gender disability urban rural households income loans"
)
WORDS = _VOCABULARY.split()
NON_ASCII = ("année", "mañana", "coöperation", "São Tomé", "Łódź", "çà", "niño", "über", "—", "«données»")
COUNTRIES = (
    "Mexico", "Peru", "Colombia", "Argentina", "Chile", "Ecuador", "Guatemala", "Honduras", "Panama",
    "Kenya", "Uganda", "Ghana", "Nigeria", "Zambia", "Malawi", "Namibia", "Rwanda", "Ethiopia", "Senegal",
    "Mongolia", "Viet Nam", "Thailand", "Indonesia", "Philippines", "Pakistan", "Bangladesh", "Nepal",
    "Bhutan", "Sri Lanka", "Jordan", "Lebanon", "Iraq", "Egypt", "Tunisia", "Morocco", "Türkiye",
    "Serbia", "Albania", "North Macedonia", "Armenia", "Georgia", "Ukraine", "Moldova", "Kyrgyzstan",
    "Uzbekistan", "Tajikistan", "Fiji", "Papua New Guinea", "Timor-Leste", "Cabo Verde", "Mauritius",
)  # fmt: skip
MISSPELT = {"Mexico": "Mexcio", "Colombia": "Columbia", "Peru": "Perú", "Senegal": "Sénégal"}


def _country_points() -> dict[str, tuple[float, float]]:
    """A point inside each country, found from the borders alplint ships (fixed seed)."""
    from alplint.geo import borders
    from alplint.geo.countries import resolve_country

    chooser = random.Random(7)
    points: dict[str, tuple[float, float]] = {}
    for name in COUNTRIES:
        alpha3 = resolve_country(name).alpha3
        rings = borders.country_rings(alpha3) if alpha3 else None
        if not rings:
            continue
        ring = max(rings, key=lambda ring: (ring.east - ring.west) * (ring.north - ring.south))
        for _ in range(2000):
            lat = chooser.uniform(ring.south, ring.north)
            lng = chooser.uniform(ring.west, ring.east)
            if borders.contains(alpha3, lat, lng):
                points[name] = (round(lat, 4), round(lng, 4))
                break
    return points


def _sentence(chooser: random.Random) -> str:
    words = [chooser.choice(WORDS) for _ in range(chooser.randint(6, 22))]
    if chooser.random() < 0.15:
        words.insert(chooser.randrange(len(words)), chooser.choice(NON_ASCII))
    if chooser.random() < 0.08:
        words.insert(chooser.randrange(len(words)), "&amp;")
    return " ".join(words).capitalize() + "."


def _answer(chooser: random.Random, question: str) -> Iterator[str]:
    kind = chooser.random()
    if "> Sense" in question or "> Explore" in question or "> Test" in question or "> Grow" in question:
        yield "" if chooser.random() < 0.7 else f"{chooser.choice((10, 20, 25, 30, 40))}%"
    elif kind < 0.08:
        return  # unanswered
    elif kind < 0.2:
        yield from (f"- {chooser.choice(WORDS).capitalize()}" for _ in range(chooser.randint(1, 5)))
    elif kind < 0.3:
        yield f"![Missing alt text](https://sdg-innovation-commons.org/uploads/{chooser.randrange(10**6)}.png)"
    elif kind < 0.35:
        yield f"[blog](https://acceleratorlabs.undp.org/blog/{chooser.randrange(10**5)})"
    else:
        for paragraph in range(chooser.randint(1, 5)):
            if paragraph:
                yield ""
            yield " ".join(_sentence(chooser) for _ in range(chooser.randint(1, 6)))


def _tag_value(chooser: random.Random, key: str, year: int) -> str | None:
    values = {
        "focal_point": f"{chooser.choice(WORDS)}.{chooser.choice(WORDS)}@undp.org",
        "year": str(year),
        "sdgs": f"{(goal := chooser.randint(1, 17))}. {_SDGS[goal]}",
        "datasources": chooser.choice(("surveys", "satellite imagery", "social media", "interviews")),
        "methods": chooser.choice(("ethnography", "pilots", "collective intelligence", "foresight")),
        "thematic_areas": " ".join(chooser.sample(WORDS, 2)),
    }
    return values.get(key)


_SDGS = {
    1: "No poverty", 2: "Zero hunger", 3: "Good health and well-being", 4: "Quality education",
    5: "Gender equality", 6: "Clean water and sanitation", 7: "Affordable and clean energy",
    8: "Decent work and economic growth", 9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities", 11: "Sustainable cities and communities",
    12: "Responsible consumption and production", 13: "Climate action", 14: "Life below water",
    15: "Life on land", 16: "Peace, justice and strong institutions", 17: "Partnerships for the goals",
}  # fmt: skip


def _form(chooser: random.Random, draft: str, points: dict[str, tuple[float, float]]) -> str:
    lines: list[str] = []
    year = chooser.randint(2020, 2025)
    located = chooser.sample(sorted(points), chooser.choice((1, 1, 1, 2)))
    for line in draft.split("\n"):
        stripped = line.strip()
        if stripped.startswith("<!-- alplint-draft"):
            continue
        if stripped.startswith("# "):
            lines.append("# " + " ".join(chooser.sample(WORDS, chooser.randint(2, 7))).capitalize())
        elif stripped.startswith("[[") and stripped.endswith(":]]"):
            key = stripped[2:-3]
            if key == "country":
                for name in located:
                    lat, lng = points[name]
                    written = MISSPELT.get(name, name) if chooser.random() < 0.03 else name
                    lines.append(f"[[country:{written}]]")
                    pair = f"{lng},{lat}" if chooser.random() < 0.02 else f"{lat},{lng}"
                    lines.append(f"[[latlng:{pair}]]")
            elif key == "latlng":
                continue
            else:
                for _ in range(chooser.randint(1, 3) if key in ("sdgs", "thematic_areas", "methods") else 1):
                    value = _tag_value(chooser, key, year)
                    if value is None:
                        break
                    if chooser.random() < 0.03:
                        value += ","
                    lines.append(f"[[{key}:{value}]]")
        else:
            lines.append(line)
            if stripped.startswith(">") and stripped != ">":
                answer = list(_answer(chooser, stripped))
                if answer:
                    lines += ["", *answer]
    return "\n".join(lines) + "\n"


def _encode(chooser: random.Random, text: str) -> bytes:
    roll = chooser.random()
    if roll < 0.06:
        return text.replace("\n", "\r\n").encode("utf-8")
    if roll < 0.09:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if roll < 0.10:
        return text.encode("utf-16")
    if roll < 0.105:
        return text.encode("latin-1", "replace")  # a draft saved in the wrong encoding: ALP101
    return text.encode("utf-8")


def generate_archive(folder: Path, count: int, seed: int = 1) -> Path:
    """``count`` forms in ``folder/archive-COUNT``, in folders of 1,000, the same bytes for the same seed."""
    from alplint.draft import render_draft, template_names
    from alplint.schema import SchemaSet

    archive = folder / f"archive-{count}"
    if archive.is_dir() and sum(1 for _ in archive.rglob("*.md")) == count:
        return archive
    shutil.rmtree(archive, ignore_errors=True)
    schemas = SchemaSet.load()
    drafts = [render_draft(schemas.by_name[name].current) for name in template_names(schemas)]
    points = _country_points()
    chooser = random.Random(seed)
    for index in range(count):
        text = _form(chooser, chooser.choice(drafts), points)
        target = archive / f"{index // 1000:03d}" / f"form-{index:06d}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_encode(chooser, text))
    return archive


# --- cases ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Case:
    name: str
    command: list[str]
    floor: str  # the name of the case it is compared with ("" for a floor itself)
    prepare: Callable[[], None] | None = None  # run before each sample, not timed
    samples: list[Sample] = field(default_factory=list)


def _alplint_help(python: str) -> str:
    result = subprocess.run([python, "-m", "alplint", "--help"], capture_output=True, text=True, check=False)
    return result.stdout


def _compile(python: str) -> None:
    location = subprocess.run(
        [python, "-c", "import alplint, os; print(os.path.dirname(alplint.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", location], check=False)


def _archive_cases(
    label: str, archive: Path, python: str, options: str, workspace: Path, fix: bool
) -> list[Case]:
    floor = f"floor: walk, read, decode, find tags ({label})"
    alplint = [python, "-m", "alplint", "--exit-zero", "--format", "json"]
    no_cache = ["--no-cache"] if "--no-cache" in options else []
    cases = [
        Case(floor, [python, "-c", FLOOR_SCRIPT, str(archive)], ""),
        Case(f"alplint --format json ({label})", [*alplint, *no_cache, str(archive)], floor),
    ]
    if "--jobs" in options:
        cases.append(
            Case(f"alplint --jobs 1 ({label})", [*alplint, *no_cache, "--jobs", "1", str(archive)], floor)
        )
    if "--cache-dir" in options:
        cache = workspace / f"cache-{label}"
        shutil.rmtree(cache, ignore_errors=True)
        warm = [*alplint, "--cache-dir", str(cache), str(archive)]
        subprocess.run(warm, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        cases.append(Case(f"alplint, unchanged, with its cache ({label})", warm, floor))
    if fix:
        copy = workspace / f"fix-{label}"

        def fresh_copy() -> None:
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(archive, copy)

        fix_command = [*alplint, *no_cache, "--fix", str(copy)]
        plain_on_copy = [*alplint, *no_cache, str(copy)]
        cases.append(Case(f"alplint on a fresh copy ({label})", plain_on_copy, floor, fresh_copy))
        cases.append(
            Case(
                f"alplint --fix on a fresh copy ({label})",
                fix_command,
                f"alplint on a fresh copy ({label})",
                fresh_copy,
            )
        )
    return cases


def _run(cases: list[Case], runs: int) -> None:
    for _ in range(runs):
        for case in cases:
            if case.prepare is not None:
                case.prepare()
            case.samples.append(measure(case.command))
            print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


def _table(cases: list[Case]) -> str:
    medians = {case.name: statistics.median(sample.wall for sample in case.samples) for case in cases}
    rows = [
        "| case | wall (median) | ratio | CPU (median) | peak, one process | peak, all processes | runs |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case in cases:
        wall = medians[case.name]
        ratio = f"{wall / medians[case.floor]:.2f}x" if case.floor else "floor"
        cpu = statistics.median(sample.cpu for sample in case.samples)
        peak = max(sample.peak_process_mb for sample in case.samples)
        tree = max(sample.peak_tree_mb for sample in case.samples)
        failed = f" (exit {case.samples[-1].status})" if case.samples[-1].status not in (0, 1) else ""
        rows.append(
            f"| {case.name}{failed} | {wall:.3f} s | {ratio} | {cpu:.3f} s | {peak:.0f} MB | {tree:.0f} MB | {len(case.samples)} |"
        )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=11, help="runs of each start-up case (default 11)")
    parser.add_argument("--long-runs", type=int, default=3, help="runs of each archive case (default 3)")
    parser.add_argument(
        "--generated", default="10000", help="sizes of generated archives, comma-separated (0: none)"
    )
    parser.add_argument("--real", default=str(REAL_ARCHIVE), help="the real archive's folder (if present)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter alplint is installed in")
    parser.add_argument("--only", default="", help="only the cases whose name contains this text")
    parser.add_argument("--keep", metavar="DIR", help="build generated archives in DIR and keep them")
    parser.add_argument("--no-fix", action="store_true", help="skip the --fix cases")
    args = parser.parse_args(argv)
    python = args.python
    _compile(python)
    options = _alplint_help(python)
    one_form = str(SEEDS / "000_0895e367f9611072.txt")
    baseline = 'python -c "import jsonschema, yaml"'
    startup = [
        Case(baseline, [python, "-c", "import jsonschema, yaml"], ""),
        Case("alplint --version", [python, "-m", "alplint", "--version"], baseline),
        Case("alplint --help", [python, "-m", "alplint", "--help"], baseline),
        Case("alplint ONE_FORM", [python, "-m", "alplint", one_form], baseline),
        Case("alplint seeds/", [python, "-m", "alplint", str(SEEDS)], baseline),
    ]
    with tempfile.TemporaryDirectory() as temporary:
        workspace = Path(args.keep) if args.keep else Path(temporary)
        workspace.mkdir(parents=True, exist_ok=True)
        archives: list[tuple[str, Path]] = []
        if Path(args.real).is_dir():
            archives.append(("real archive", Path(args.real)))
        for size in (int(part) for part in args.generated.split(",") if part.strip()):
            if size:
                archives.append((f"{size:,} generated forms", generate_archive(workspace, size)))
        tables = [("start-up", startup, args.runs)]
        for label, archive in archives:
            fix = not args.no_fix and "generated" in label
            tables.append(
                (label, _archive_cases(label, archive, python, options, workspace, fix), args.long_runs)
            )
        for title, cases, runs in tables:
            wanted = {case.name for case in cases if args.only in case.name}
            by_name = {case.name: case for case in cases}
            for name in list(wanted):
                while by_name[name].floor:  # a case is shown with what it is compared with
                    name = by_name[name].floor
                    wanted.add(name)
            chosen = [case for case in cases if case.name in wanted]
            if len(chosen) < 2:
                continue
            _run(chosen, runs)
            print(f"\n### {title}\n\n{_table(chosen)}")


if __name__ == "__main__":
    main()
