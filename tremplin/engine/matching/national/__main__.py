"""Command line of the national batch (docs/scale.md).

    python -m tremplin.engine.matching.national generate --out DIR [--job-seekers N] ...
    python -m tremplin.engine.matching.national run --job-seekers F --openings F --work DIR
        [--scheduler tcp://host:8786 | --local-workers 2] [--experience-weight 0.2] ...

``run`` prints what it did (JSON, also written to ``WORK/summary.json``); a refused input
prints its French reason and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tremplin.engine.matching.model import MatchingInputError
from tremplin.engine.matching.national.generate import generate, read_communes
from tremplin.engine.matching.national.job import Job, Summary, run_dask, run_local


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tremplin.engine.matching.national")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="a seeded country of job seekers and openings")
    make.add_argument("--out", type=Path, required=True)
    make.add_argument("--job-seekers", type=int, default=1_000_000)
    make.add_argument("--openings", type=int, default=200_000)
    make.add_argument("--seed", type=int, default=20270601)
    make.add_argument("--no-texts", action="store_true", help="without experience vectors")
    run = commands.add_parser("run", help="rank the top k openings of every job seeker")
    run.add_argument("--job-seekers", type=Path, required=True)
    run.add_argument("--openings", type=Path, required=True)
    run.add_argument("--work", type=Path, required=True, help="plan, shuffle and matches/")
    run.add_argument("--k", type=int, default=20)
    run.add_argument("--experience-weight", type=float, default=0.0)
    run.add_argument(
        "--missing-required", default="exclude", help="« exclude » or a penalty weight"
    )
    run.add_argument("--cell-km", type=float, default=20.0)
    run.add_argument("--partition-size", type=int, default=50_000)
    where = run.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    where.add_argument("--local-workers", type=int, help="start a local Dask cluster")
    run.add_argument("--threads", type=int, default=2, help="threads in this process")
    return parser


def _run(options: argparse.Namespace) -> Summary:
    settings: dict[str, Any] = {"experience_weight": options.experience_weight}
    if options.missing_required != "exclude":
        settings["missing_required"] = float(options.missing_required)
    job = Job(
        job_seekers=options.job_seekers,
        openings=options.openings,
        work=options.work,
        k=options.k,
        settings=settings,
        cell_km=options.cell_km,
        partition_size=options.partition_size,
    )
    job.engine_settings()  # refuse bad settings before starting a cluster
    if options.scheduler or options.local_workers:
        from distributed import Client, LocalCluster

        if options.scheduler:
            with Client(options.scheduler) as client:  # type: ignore[no-untyped-call]
                return run_dask(job, client)
        with (
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=options.local_workers, threads_per_worker=1, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,  # type: ignore[no-untyped-call]
        ):
            return run_dask(job, client)
    return run_local(job, threads=options.threads)


def main(argv: list[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    try:
        if options.command == "generate":
            paths = generate(
                communes=read_communes(),
                directory=options.out,
                job_seekers=options.job_seekers,
                openings=options.openings,
                seed=options.seed,
                texts=not options.no_texts,
            )
            print("\n".join(str(path) for path in paths))
            return 0
        summary = _run(options)
    except (MatchingInputError, ValueError) as error:
        print(f"Refusé : {error}", file=sys.stderr)
        return 2
    (options.work / "summary.json").write_text(summary.to_json())
    print(summary.to_json())
    return 0


if __name__ == "__main__":
    sys.exit(main())
