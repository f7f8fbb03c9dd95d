"""Time the open-data export on a synthetic catalogue of N credentials.

    python benchmarks/export.py 10000            # a fresh synthetic catalogue in a temporary folder
    python benchmarks/export.py 10000 --git 500  # ... committed in 500 commits, so dates come from git

Prints the time of each stage; a benchmark, not a test (timings depend on the machine).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate  # noqa: E402

from microcred.catalogue import history  # noqa: E402
from microcred.opendata import feed, records, tabular  # noqa: E402
from microcred.opendata.publish import write_open_data  # noqa: E402
from microcred.settings import Settings  # noqa: E402
from microcred.validate import validate  # noqa: E402


def commit_in_steps(repo: Path, commits: int) -> None:
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    files = sorted(str(p.relative_to(repo)) for p in (repo / "catalogue").rglob("*.yaml"))
    step = max(1, len(files) // commits)
    for n, start in enumerate(range(0, len(files), step)):
        subprocess.run(["git", "add", "--", *files[start:start + step]], cwd=repo, check=True)
        stamp = f"@{1_700_000_000 + n * 3600} +0000"
        subprocess.run([*git, "commit", "-q", "-m", f"step {n}"], cwd=repo, check=True,
                       env={**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("--git", type=int, default=0, metavar="COMMITS", help="commit the catalogue in this many commits")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1790000000")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        generate(repo / "catalogue", args.n)
        if args.git:
            commit_in_steps(repo, args.git)
        settings = Settings("Bench", "https://register.example/", "https://github.com/example/register",
                            "en", "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/")

        def timed(label, run):
            start = time.perf_counter()
            value = run()
            print(f"{label:<28} {time.perf_counter() - start:6.2f} s")
            return value

        result = timed("validate", lambda: validate(repo / "catalogue"))
        catalogue = result.catalogue
        print(f"{len(catalogue.credentials)} credentials, {len(result.errors)} errors")
        urls = records.Urls(settings)
        dates = timed("history (one git log)", lambda: history.history_of(catalogue))
        recs = timed("records", lambda: [records.credential_record(catalogue.credentials[c], catalogue, urls,
                                                                   dates.credentials[c])
                                         for c in sorted(catalogue.credentials)])
        timed("feed", lambda: feed.feed(recs, "Bench", urls.site, urls.api + "feed.json", "en"))
        timed("csv", lambda: tabular.csv_text(recs))
        files = timed("write_open_data (all of it)", lambda: write_open_data(catalogue, dates, repo / "api", settings))
        size = sum(os.stat(p).st_size for p in files)
        print(f"{len(files)} files, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
