"""Benchmark: the national batch, 1,000,000 job seekers × 200,000 openings, top 20 each.

A seeded country on the communes table (``national.generate``; kept in var/national/ and
reused while its parameters are the same), the experience term on (weight 0.2, the costly
case: a 512-dimension product per pair looked at), then:
- (a) the single-machine run in this process (2 threads): plan, shuffle, rank; target 10 min;
- (b) recall@20 of (a) against the unblocked ranking (every pair scored) of a 1 % sample;
- (c) the same job on a local Dask cluster of 2 worker processes (1 thread each), and whether
  its matches are those of (a), row for row.
Run: make bench-national  (SEEKERS, OPENINGS, SEED, WEIGHT, SAMPLE to change the defaults).
"""

import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from tremplin.engine.matching.national.exact import (  # noqa: E402
    exact_matches,
    recall_at_k,
    sample_rows,
)
from tremplin.engine.matching.national.generate import generate, read_communes  # noqa: E402
from tremplin.engine.matching.national.job import (  # noqa: E402
    Job,
    read_matches,
    run_dask,
    run_local,
)

SEEKERS = int(os.environ.get("SEEKERS", "1000000"))
OPENINGS = int(os.environ.get("OPENINGS", "200000"))
SEED = int(os.environ.get("SEED", "20270601"))
WEIGHT = float(os.environ.get("WEIGHT", "0.2"))
SAMPLE = float(os.environ.get("SAMPLE", "0.01"))
ROOT = Path(__file__).resolve().parent.parent / "var" / "national"


def country():
    directory = ROOT / f"country-{SEED}-{SEEKERS}-{OPENINGS}"
    stamp = directory / "stamp.json"
    wanted = {"seed": SEED, "job_seekers": SEEKERS, "openings": OPENINGS, "texts": True}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        print(f"    country reused from {directory}")
    else:
        shutil.rmtree(directory, ignore_errors=True)
        started = time.perf_counter()
        generate(
            communes=read_communes(),
            directory=directory,
            job_seekers=SEEKERS,
            openings=OPENINGS,
            seed=SEED,
        )
        stamp.write_text(json.dumps(wanted))
        print(f"    country generated in {time.perf_counter() - started:.0f} s (not timed below)")
    return directory / "job_seekers.parquet", directory / "openings.parquet"


def job(seekers, openings, name):
    return Job(
        job_seekers=seekers,
        openings=openings,
        work=ROOT / name,
        settings={"experience_weight": WEIGHT},
    )


def describe(summary):
    every = summary.job_seekers * summary.openings
    return (
        f"{summary.partitions} partitions, {summary.blocks:,} blocks; "
        f"{summary.pairs_scored:,} pairs looked at, {100 * summary.pairs_scored / every:.2f} % "
        f"of the {every:,}; {summary.matches:,} matches; plan {summary.times['plan']:.0f} s, "
        f"shuffle {summary.times['shuffle']:.0f} s, rank {summary.times['rank']:.0f} s"
    )


def main():
    print(
        f"bench-national, {SEEKERS:,} job seekers × {OPENINGS:,} openings, top 20, experience "
        f"weight {WEIGHT}, seed {SEED}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.2f}"
    )
    seekers, openings = country()

    single = job(seekers, openings, "single")
    summary = run_local(single, threads=2)
    local_time = summary.times["total"]
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(
        f"(a) single machine (this process, 2 threads): {local_time:.0f} s = "
        f"{local_time / 60:.1f} min; {describe(summary)}; peak memory {memory:.1f} GiB; "
        "target ≤ 10 min"
    )

    started = time.perf_counter()
    rows = sample_rows(single, SAMPLE, SEED)
    exact = exact_matches(single, rows, threads=2)
    exact_time = time.perf_counter() - started
    recall = recall_at_k(read_matches(single), exact)
    print(
        f"(b) recall@20 on a {100 * SAMPLE:g} % sample ({rows.size:,} people, "
        f"{recall.expected:,} matches of the unblocked ranking, which scored "
        f"{rows.size * summary.openings:,} pairs in {exact_time:.0f} s): {recall.recall:.4f}; "
        f"same list for {recall.same_lists:,} of {recall.people:,} people; largest score gap "
        f"on a common pair {recall.max_score_gap:.1e}; target ≥ 0.99"
    )

    cluster_job = job(seekers, openings, "cluster")
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        distributed = run_dask(cluster_job, client)
    cluster_time = distributed.times["total"]
    mine, theirs = read_matches(single), read_matches(cluster_job)
    same = all(
        mine.column(name).equals(theirs.column(name))
        for name in ("job_seeker_id", "rank", "opening_id")
    )
    gap = float(np.max(np.abs(mine.column("score").to_numpy() - theirs.column("score").to_numpy())))
    print(
        f"(c) local Dask cluster, 2 workers × 1 thread: {cluster_time:.0f} s = "
        f"{cluster_time / 60:.1f} min; {describe(distributed)}; "
        f"{'same matches as (a), row for row' if same else 'DIFFERENT matches from (a)'} "
        f"(largest score gap {gap:.1e})"
    )
    print(
        f"headline: 1 machine {local_time / 60:.1f} min, recall@20 {recall.recall:.4f}, "
        f"Dask 2 workers {cluster_time / 60:.1f} min, load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
