"""Measure the register against its budgets (docs/performance.md, "Budgets"): `make bench`.

For each size N (default 1,000, 5,000 and 10,000 credentials) a synthetic
catalogue is generated once (benchmarks/synth.py; cached under
benchmarks/out/catalogue-N/, regenerated when synth.py changes), then every
step in STEPS runs as a subprocess, as a user would run it, with the catalogue's
files read just before (read_catalogue: as after a git checkout). Each run records:

- wall time (best of --repeat runs: the machine may be shared),
- CPU time of the whole process tree (user + system, worker processes included),
- peak memory: the largest single process (wait4's ru_maxrss; it counts from the
  fork, so it is never below this runner's own size, about 20 MiB) and the whole
  process tree (sampled from /proc every 20 ms, Linux only),
- how busy the machine was with other work during the run (from /proc/stat),
  so a slow figure on a busy machine can be told from a slow program.

Results go to benchmarks/out/results.json and a Markdown table on stdout,
with the machine (CPU model, cores, RAM, Python) and, for each budget, whether
the figure meets it.

The build is measured as a user runs it (`microcred build --quiet`), with its
stage timings (--timings), the output's size, the largest credential page, and
the bytes a browser transfers for a first filtered search (benchmarks/transfer.py:
headless Chromium against the built site, served gzip-compressed like GitHub
Pages). `--sizes 1000` makes a quick run; `--steps build` measures the build only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
PYTHON = sys.executable
SIZES = (1_000, 10_000, 100_000)
MIB = 1024 * 1024


# --- what is measured ----------------------------------------------------------


@dataclass
class Step:
    """One command measured on each synthetic catalogue."""

    name: str
    argv: Callable[[Path, Path], list[str]]  # (catalogue folder, scratch folder) -> command
    # Figures read from the output after a run (e.g. page sizes), merged into the run's record.
    extra: Callable[[Path, Path], dict] | None = None
    sizes: tuple[int, ...] | None = None  # None: every size given
    ok_codes: tuple[int, ...] = (0,)
    # Figures read after each run (e.g. the build's stage timings), kept with that run.
    per_run: Callable[[Path, Path], dict] | None = None
    # Called before each run (e.g. to edit an entry), and once after the last
    before: Callable[[Path, Path, int], None] | None = None
    after: Callable[[Path, Path], None] | None = None


def site_figures(site: Path) -> dict:
    """Output size, the largest credential page, and the bytes of a first filtered search."""
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = list(site.glob("credentials/*/*/index.html"))
    largest = max(pages, key=lambda p: p.stat().st_size) if pages else None
    figures = {
        "output_mib": round(sum(p.stat().st_size for p in files) / MIB, 1),
        "output_files": len(files),
        "largest_page_kb": round(largest.stat().st_size / 1000, 1) if largest else None,
        "largest_page": str(largest.relative_to(site).parent) if largest else None,
    }
    try:
        sys.path.insert(0, str(HERE))
        import transfer

        from microcred.settings import load_settings

        # in every language of the site: the largest counts against the budget
        searches = {lang: transfer.first_filtered_search(site, prefix="" if i == 0 else f"{lang}/")
                    for i, lang in enumerate(load_settings(REPO).languages)}
        lang, search = max(searches.items(), key=lambda item: item[1]["kb"])
        figures["first_search_kb"] = search["kb"]
        figures["first_search"] = {"language": lang, **{k: search[k] for k in ("requests", "by_type_kb", "status")}}
        figures["first_search_kb_by_language"] = {lang: s["kb"] for lang, s in searches.items()}
    except Exception as e:  # no Chromium or Playwright here: the other figures still count
        figures["first_search_error"] = f"{type(e).__name__}: {e}"[:300]
    return figures


def timings(scratch: Path) -> dict:
    seconds = json.loads((scratch / "timings.json").read_text("utf-8"))
    stages = seconds["seconds"]
    # the build's own time, as `microcred serve` spends it (no interpreter start); "open data"
    # runs inside "open data + search"
    return {"stages_s": stages, "in_process_s": round(sum(v for k, v in stages.items() if k != "open data"), 3),
            "kept": seconds.get("kept"), "units": seconds.get("units")}


def first_entry(catalogue: Path) -> Path:
    folder = min(p for p in catalogue.iterdir() if p.is_dir())
    return min(p for p in folder.glob("*.yaml") if p.name != "provider.yaml")


def _original(catalogue: Path) -> Path:
    """Where the edited entry's own text waits (outside the catalogue, which holds only entries)."""
    return OUT / "originals" / f"{catalogue.name}.yaml"


def edit_one_entry(catalogue: Path, run: int) -> None:
    """Change one entry's title, as a provider would: a new text each run."""
    import yaml

    entry = first_entry(catalogue)
    original = _original(catalogue)
    original.parent.mkdir(parents=True, exist_ok=True)
    if not original.exists():
        original.write_bytes(entry.read_bytes())
    record = yaml.safe_load(original.read_text("utf-8"))
    title = record["title"]
    record["title"] = ({lang: f"{text} (edited {run})" for lang, text in title.items()} if isinstance(title, dict)
                       else f"{title} (edited {run})")
    entry.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")


def restore_entry(catalogue: Path) -> None:
    original = _original(catalogue)
    if original.exists():
        original.replace(first_entry(catalogue))


def build_argv(catalogue: Path, output: Path, scratch: Path, *more: str) -> list[str]:
    return [PYTHON, "-m", "microcred", "build", "--quiet", "--catalogue", str(catalogue), "--output", str(output),
            "--timings", str(scratch / "timings.json"), *more]


def example_copy(scratch: Path) -> Path:
    """The example catalogue, copied once per benchmark run, to be edited."""
    copy = scratch / "catalogue"
    if not copy.exists():
        import shutil
        shutil.copytree(REPO / "catalogue", copy)
    return copy


def rebuild_example_before(catalogue: Path, scratch: Path, run: int) -> None:
    copy = example_copy(scratch)
    if run == 0 and not (scratch / "site").exists():  # the site the edit is made on
        subprocess.run(build_argv(copy, scratch / "site", scratch), check=True, cwd=REPO)
    edit_one_entry(copy, run)


STEPS: list[Step] = [
    Step("validate", lambda catalogue, scratch: [PYTHON, "-m", "microcred", "validate", str(catalogue)]),
    # The pull-request check: one changed file, and the cross-file checks that involve it.
    Step("validate one file", lambda catalogue, scratch: [PYTHON, "-m", "microcred", "validate",
                                                         str(first_entry(catalogue))]),
    # The whole build, as `make build` runs it (quiet: no progress output to measure),
    # with each stage's wall time from --timings; figures of the built site afterwards.
    # --clean: each run makes everything, keeping nothing of the run before.
    Step("build", lambda catalogue, scratch: build_argv(catalogue, scratch / "site", scratch, "--clean"),
         extra=lambda catalogue, scratch: site_figures(scratch / "site"),
         per_run=lambda catalogue, scratch: timings(scratch)),
    # Edit one entry's title, then build on the site the build step left (incremental).
    Step("rebuild one changed entry",
         lambda catalogue, scratch: build_argv(catalogue, OUT / "scratch" / f"build-{scratch.name.rsplit('-', 1)[1]}"
                                               / "site", scratch),
         before=lambda catalogue, scratch, run: edit_one_entry(catalogue, run),
         after=lambda catalogue, scratch: restore_entry(catalogue),
         per_run=lambda catalogue, scratch: timings(scratch)),
    # The same on the example catalogue, as `microcred serve` rebuilds after a save (once, any size).
    Step("rebuild example, one changed entry",
         lambda catalogue, scratch: build_argv(example_copy(scratch), scratch / "site", scratch),
         before=lambda catalogue, scratch, run: rebuild_example_before(catalogue, scratch, run),
         per_run=lambda catalogue, scratch: timings(scratch), sizes=(1_000,)),
]


@dataclass
class Budget:
    """A line of the budget table (docs/performance.md), checked against the measured runs."""

    what: str
    measure: Callable[[dict], float | None]  # runs by (step, size) -> the figure, None if not measured
    limit: float
    unit: str


def _figure(step: str, size: int, key: str) -> Callable[[dict], float | None]:
    return lambda runs: runs[(step, size)][key] if (step, size) in runs and key in runs[(step, size)] else None


BUDGETS: list[Budget] = [
    Budget("validate 10,000 credentials ≤ 3 s", _figure("validate", 10_000, "wall_s"), 3.0, "s"),
    Budget("validate 100,000 credentials ≤ 12 s", _figure("validate", 100_000, "wall_s"), 12.0, "s"),
    Budget("clean build of 10,000 credentials ≤ 60 s", _figure("build", 10_000, "wall_s"), 60.0, "s"),
    Budget("clean build of 100,000 credentials ≤ 5 min", _figure("build", 100_000, "wall_s"),
           300.0, "s"),
    Budget("build peak memory at 10,000 ≤ 1.5 GiB", _figure("build", 10_000, "peak_tree_mib"), 1536.0, "MiB"),
    Budget("build peak memory at 100,000 ≤ 4 GiB", _figure("build", 100_000, "peak_process_mib"), 4096.0, "MiB"),
    Budget("rebuild after one changed entry at 100,000 ≤ 30 s",
           _figure("rebuild one changed entry", 100_000, "wall_s"), 30.0, "s"),
    Budget("rebuild after one changed entry of the example catalogue ≤ 1 s",
           _figure("rebuild example, one changed entry", 1_000, "in_process_s"), 1.0, "s"),
    Budget("largest credential page ≤ 40 KB", _figure("build", 10_000, "largest_page_kb"), 40.0, "KB"),
    Budget("first filtered search at 10,000 ≤ 300 KB", _figure("build", 10_000, "first_search_kb"), 300.0, "KB"),
    Budget("first filtered search at 100,000 ≤ 300 KB", _figure("build", 100_000, "first_search_kb"),
           300.0, "KB"),
]


# --- the machine ---------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        ram = None
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "ram_gib": round(ram / 1024**3, 1) if ram else None,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.release()}",
        "pyyaml_libyaml": _has_libyaml(),
    }


def _has_libyaml() -> bool:
    try:
        import yaml
        return hasattr(yaml, "CSafeLoader")
    except ImportError:
        return False


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip() + (" (modified)" if _git_dirty() else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def _git_dirty() -> bool:
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                         capture_output=True, text=True).stdout
    return bool(out.strip())


# --- the catalogues ------------------------------------------------------------


def catalogue(n: int, regenerate: bool = False) -> Path:
    """The synthetic catalogue of n credentials, generated on first use."""
    sys.path.insert(0, str(HERE))
    import synth

    folder = OUT / f"catalogue-{n}"
    stamp = OUT / f"catalogue-{n}.stamp"
    examples = sorted((REPO / "catalogue").rglob("*.yaml"))  # cloned: their text is part of the key
    key = hashlib.sha256(b"".join([(HERE / "synth.py").read_bytes(), str(n).encode(),
                                   *(p.read_bytes() for p in examples)])).hexdigest()
    if regenerate or not folder.is_dir() or not stamp.exists() or stamp.read_text() != key:
        started = time.perf_counter()
        print(f"generating {n:,} credentials in {folder.relative_to(REPO)} ...", file=sys.stderr, flush=True)
        synth.clones(folder, n)
        stamp.write_text(key)
        print(f"  done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return folder


# --- one measured run ------------------------------------------------------------


def _cpu_busy() -> tuple[float, float] | None:
    """(busy, stolen) seconds of all CPUs since boot, from /proc/stat.

    busy: user, nice, system, irq, softirq; stolen: time a virtual machine's CPUs
    wanted to run but the host ran something else (it slows a run without showing
    up as load inside the machine).
    """
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(x) for x in fields] + [0] * 8
    hz = os.sysconf("SC_CLK_TCK")
    return (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]) / hz, ticks[7] / hz


def _tree_rss(pid: int) -> int | None:
    """Resident bytes of a process and all its descendants (Linux /proc), or None."""
    if not Path(f"/proc/self/task/{threading.get_native_id()}/children").exists():
        return None  # no /proc, or a kernel without CONFIG_PROC_CHILDREN
    page = os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    try:
        while todo:
            p = todo.pop()
            try:
                total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page
                for task in Path(f"/proc/{p}/task").iterdir():
                    todo += [int(c) for c in (task / "children").read_text().split()]
            except (FileNotFoundError, ProcessLookupError):
                continue  # ended meanwhile
    except OSError:
        return None
    return total


def measure(argv: list[str], cwd: Path) -> dict:
    """Run argv once: wall and CPU time, exit code, peak memory, other load on the machine."""
    peak = {"tree": 0, "sampled": True}
    # Write out what earlier runs left in memory first: otherwise their 500 MB flush to disk
    # during this run, and the previous site this build replaces is deleted before it ever
    # reached the disk (cheaper: at 5,000 credentials, not at 10,000).
    if hasattr(os, "sync"):
        os.sync()
    before = _cpu_busy()
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample():
        while not done.wait(0.02):
            rss = _tree_rss(proc.pid)
            if rss is None:
                peak["sampled"] = False
                return
            peak["tree"] = max(peak["tree"], rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    after = _cpu_busy()
    cpu = usage.ru_utime + usage.ru_stime  # includes the worker processes it waited for
    run = {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "exit_code": proc.returncode,
        "peak_process_mib": round(usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024) / MIB, 1),
    }
    if peak["sampled"] and peak["tree"]:
        run["peak_tree_mib"] = round(peak["tree"] / MIB, 1)
    if before and after:
        # CPU seconds the machine spent on anything else, per second of the run: 1.0 = a whole core
        run["other_load_cores"] = round(max(0.0, (after[0] - before[0]) - cpu) / wall, 2)
        run["stolen_cores"] = round((after[1] - before[1]) / wall, 2)
    if stderr.strip():
        run["stderr"] = stderr.decode("utf-8", "replace")[-2000:]
    return run


def read_catalogue(folder: Path) -> None:
    """Read every file of the catalogue once, untimed, so each run starts as after a git checkout,
    with the files in the page cache. Without it a run after a 100,000-credential build (18 GB
    written) reads the catalogue back from disk: `validate` measured 27.4 s against 11.8 s."""
    for path in folder.rglob("*.yaml"):
        path.read_bytes()


def quiet_after_earlier_builds(scratch: Path, limit_s: float = 120) -> None:
    """Wait until the site an earlier run replaced is deleted (a build hands that to a process of
    its own, .site-retired-*): a run is not to be slowed by the run before it."""
    deadline = time.monotonic() + limit_s
    while any(scratch.glob(".site-retired-*")) and time.monotonic() < deadline:
        time.sleep(0.2)


def measure_step(step: Step, n: int, folder: Path, repeat: int) -> dict:
    scratch = OUT / "scratch" / f"{step.name}-{n}"
    scratch.mkdir(parents=True, exist_ok=True)
    runs = []
    for number in range(repeat):
        quiet_after_earlier_builds(scratch)
        quiet_after_earlier_builds(OUT / "scratch" / f"build-{n}")
        if step.before:
            step.before(folder, scratch, number)
        read_catalogue(folder)
        run = measure(step.argv(folder, scratch), REPO)
        if step.per_run and run["exit_code"] in step.ok_codes:
            run.update(step.per_run(folder, scratch))
        runs.append(run)
    if step.after:
        step.after(folder, scratch)
    best = min(runs, key=lambda r: r["wall_s"])
    record = {
        "step": step.name,
        "credentials": n,
        **best,
        "wall_s_all": [r["wall_s"] for r in runs],
        "wall_s_median": round(statistics.median(r["wall_s"] for r in runs), 3),
        "other_load_cores_all": [r.get("other_load_cores") for r in runs],
        "stolen_cores_all": [r.get("stolen_cores") for r in runs],
        "peak_process_mib": max(r["peak_process_mib"] for r in runs),
        "ok": all(r["exit_code"] in step.ok_codes for r in runs),
    }
    trees = [r["peak_tree_mib"] for r in runs if "peak_tree_mib" in r]
    if trees:
        record["peak_tree_mib"] = max(trees)
    if step.extra:
        record.update(step.extra(folder, scratch))
    return record


# --- report --------------------------------------------------------------------


def check_budgets(records: list[dict]) -> list[dict]:
    runs = {(r["step"], r["credentials"]): r for r in records if r["ok"]}
    out = []
    for b in BUDGETS:
        value = b.measure(runs)
        out.append({"budget": b.what, "limit": b.limit, "unit": b.unit, "value": value,
                    "met": None if value is None else value <= b.limit})
    return out


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['usable_cores']} of {m['cores']} cores usable, {m['ram_gib']} GiB RAM, "
        f"{m['implementation']} {m['python']}, {m['system']}; libyaml: {'yes' if m['pyyaml_libyaml'] else 'NO'}",
        f"Commit {result['commit']}, {result['generated_at']}, best of {result['repeat']} runs",
        "",
        "| step | credentials | wall (best) | wall (all runs) | CPU | peak process | peak tree | other load | stolen | ok |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in result["runs"]:
        tree = f"{r['peak_tree_mib']:.0f} MiB" if "peak_tree_mib" in r else "–"
        other = f"{r['other_load_cores']:.2f} cores" if "other_load_cores" in r else "–"
        stolen = f"{r['stolen_cores']:.2f} cores" if "stolen_cores" in r else "–"
        lines.append(
            f"| {r['step']} | {r['credentials']:,} | {r['wall_s']:.2f} s | {', '.join(f'{w:.2f}' for w in r['wall_s_all'])} "
            f"| {r['cpu_s']:.2f} s | {r['peak_process_mib']:.0f} MiB | {tree} | {other} | {stolen} | {'yes' if r['ok'] else 'NO'} |")
    builds = [r for r in result["runs"] if "stages_s" in r]
    if builds:
        names = list(dict.fromkeys(name for r in builds for name in r["stages_s"]))
        lines += ["", "Build stages (wall seconds of the best run; 'open data' runs inside 'open data + search'):", "",
                  "| credentials | " + " | ".join(names) + " | output | largest page | first filtered search |",
                  "|---:|" + "---:|" * (len(names) + 3)]
        for r in builds:
            search = f"{r['first_search_kb']:g} KB" if r.get("first_search_kb") is not None else "–"
            lines.append(f"| {r['credentials']:,} | " + " | ".join(f"{r['stages_s'].get(n, 0):.1f}" for n in names)
                         + f" | {r.get('output_mib', 0):g} MiB | {r.get('largest_page_kb') or 0:g} KB | {search} |")
    lines += ["", "| budget | measured | meets it |", "|---|---:|---|"]
    for b in result["budgets"]:
        value = "not measured" if b["value"] is None else f"{b['value']:g} {b['unit']}"
        met = {True: "yes", False: "**NO**", None: "–"}[b["met"]]
        lines.append(f"| {b['budget']} | {value} | {met} |")
    busy = [r for r in result["runs"] if r.get("other_load_cores", 0) + r.get("stolen_cores", 0) > 0.25]
    if busy:
        lines += ["", f"Note: other work kept the machine busy during {len(busy)} of the best runs "
                      "(columns 'other load' and 'stolen'); wall times there are pessimistic."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="catalogue sizes (credentials)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best wall time counts")
    parser.add_argument("--steps", nargs="+", help="only these steps (default: all)")
    parser.add_argument("--regenerate", action="store_true", help="generate the catalogues again")
    args = parser.parse_args(argv)

    OUT.mkdir(exist_ok=True)
    steps = [s for s in STEPS if not args.steps or s.name in args.steps]
    records = []
    for n in args.sizes:
        folder = catalogue(n, args.regenerate)
        for step in steps:
            if step.sizes is None or n in step.sizes:
                print(f"measuring {step.name} on {n:,} credentials ...", file=sys.stderr, flush=True)
                # 100,000 credentials: one run (a clean build takes minutes)
                records.append(measure_step(step, n, folder, args.repeat if n < 100_000 else 1))
    result = {
        "generated_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "commit": _git_commit(),
        "machine": machine(),
        "repeat": args.repeat,
        "runs": records,
        "budgets": check_budgets(records),
    }
    (OUT / "results.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(markdown(result))
    failed = [r for r in records if not r["ok"]]
    for r in failed:
        print(f"\n{r['step']} on {r['credentials']:,} credentials exited {r['exit_code']}: {r.get('stderr', '')}",
              file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
