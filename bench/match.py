"""Benchmark: the matching engine's ranking and assignment, against brute force, same run.

Seeded learners and openings in the Marseille area (``engine.matching.evaluation.generate``):
- (a) one cohort: 12 learners, every one of 500 openings ranked for each (target < 50 ms),
  against a plain Python double loop over ``scoring.score``;
- (b) a region: 50,000 job seekers × 10,000 openings, top 20 for each (target < 10 s),
  blocks of 256 learners on WORKERS threads; brute force is the same Python double loop,
  timed on a SAMPLE of learners against all openings and extrapolated (said in the output);
- (c) the capacitated assignment of that region over each learner's top 32 openings
  (≈ 1.6 M candidate pairs, OR-Tools min-cost flow; target < 5 s); brute force is scipy's
  ``linear_sum_assignment`` on the dense expanded matrix, which only fits a sub-region: it
  runs on one (same optimum checked) and its time is extrapolated as n³;
- the evaluation set's precision@5 and nDCG@10, engine against distance only.
Run: make bench-match  (SEED=n for another draw, WORKERS=1 for one thread, SAMPLE=n).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from tremplin.engine.matching.assignment import brute_force, solve  # noqa: E402
from tremplin.engine.matching.evaluation import evaluate, generate  # noqa: E402
from tremplin.engine.matching.scoring import encode, score, top_openings  # noqa: E402

SEED = int(os.environ.get("SEED", "20270601"))
WORKERS = int(os.environ.get("WORKERS", "2"))
SAMPLE = int(os.environ.get("SAMPLE", "10"))
REGION = (50_000, 10_000)
SUB_REGION = (1_500, 300)
CANDIDATES = 32
FIGURES = {}


def brute_rank(learners, openings, k):
    """The plain double loop a first version would write: score every pair, sort each row."""
    result = []
    for learner in learners:
        scored = []
        for column, opening in enumerate(openings):
            value = score(learner, opening)
            if value.excluded_reason is None:
                scored.append((value.total, column))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        result.append(scored[:k])
    return result


def same_scores(ranking, rows, expected):
    for row, wanted in zip(rows, expected, strict=True):
        got = [s for c, s in zip(ranking.indices[row], ranking.scores[row], strict=True) if c >= 0]
        if not np.allclose(got, [value for value, _ in wanted]):
            return False
    return True


def cohort():
    data = generate(SEED, learners=12, openings=500)
    times = []
    for _ in range(7):
        started = time.perf_counter()
        ranking = top_openings(data.learners, data.openings, k=500)
        times.append(time.perf_counter() - started)
    engine = statistics.median(times)
    FIGURES["cohort"] = engine
    started = time.perf_counter()
    expected = brute_rank(data.learners, data.openings, 500)
    brute = time.perf_counter() - started
    check = "same scores" if same_scores(ranking, range(12), expected) else "DIFFERENT"
    print(
        f"(a) cohort 12 × 500, all openings ranked: engine {engine * 1000:.1f} ms (median of 7, "
        f"encoding included), Python double loop {brute * 1000:.0f} ms, "
        f"{brute / engine:.0f}× ({check}); target < 50 ms"
    )


def region():
    started = time.perf_counter()
    data = generate(SEED, learners=REGION[0], openings=REGION[1])
    print(f"    region generated in {time.perf_counter() - started:.1f} s (not timed below)")
    started, cpu = time.perf_counter(), time.process_time()
    encoded = encode(data.learners, data.openings)
    ranking = top_openings(encoded, k=20, workers=WORKERS)
    engine = time.perf_counter() - started
    engine_cpu = time.process_time() - cpu
    FIGURES["region"] = engine
    sample_rows = list(range(0, REGION[0], REGION[0] // SAMPLE))[:SAMPLE]
    started = time.perf_counter()
    expected = brute_rank([data.learners[row] for row in sample_rows], data.openings, 20)
    sample_time = time.perf_counter() - started
    brute = sample_time * REGION[0] / len(sample_rows)
    check = "same scores" if same_scores(ranking, sample_rows, expected) else "DIFFERENT"
    print(
        f"(b) region {REGION[0]:,} × {REGION[1]:,}, top 20 each: engine {engine:.2f} s "
        f"({engine_cpu:.2f} s CPU, {WORKERS} thread(s), encoding included); Python double "
        f"loop {sample_time:.2f} s on a sample of {len(sample_rows)} learners × all "
        f"openings, extrapolated to {brute / 3600:.1f} h, {brute / engine:,.0f}× ({check} "
        "on the sample); target < 10 s"
    )
    started = time.perf_counter()
    candidates = top_openings(encoded, k=CANDIDATES, workers=WORKERS)
    candidate_time = time.perf_counter() - started
    rows, columns, scores = candidates.pairs()
    positions = encoded.positions
    started, cpu = time.perf_counter(), time.process_time()
    solution = solve(REGION[0], positions, rows, columns, scores)
    solve_time = time.perf_counter() - started
    FIGURES["solve_cpu"] = time.process_time() - cpu
    placed = int((solution.opening_of >= 0).sum())
    return data, solve_time, candidate_time, rows.size, placed, solution.total, positions


def assignment(solve_time, candidate_time, pairs, placed, total, positions):
    print(
        f"(c) region assignment over {pairs:,} candidate pairs (top {CANDIDATES} each, found in "
        f"{candidate_time:.2f} s): min-cost flow {solve_time:.2f} s "
        f"({FIGURES['solve_cpu']:.2f} s CPU, arcs built and flows read included), {placed:,} of "
        f"{REGION[0]:,} placed on {int(positions.sum()):,} positions, total score "
        f"{total:,.1f}; target < 5 s"
    )
    data = generate(SEED + 1, learners=SUB_REGION[0], openings=SUB_REGION[1])
    encoded = encode(data.learners, data.openings)
    every = top_openings(encoded, k=SUB_REGION[1])
    rows, columns, scores = every.pairs()
    sub_positions = encoded.positions
    started = time.perf_counter()
    optimum, _ = brute_force(SUB_REGION[0], sub_positions, rows, columns, scores)
    lsa = time.perf_counter() - started
    started = time.perf_counter()
    exact = solve(SUB_REGION[0], sub_positions, rows, columns, scores)
    flow_all = time.perf_counter() - started
    top = top_openings(encoded, k=CANDIDATES)
    top_rows, top_columns, top_scores = top.pairs()
    sparse = solve(SUB_REGION[0], sub_positions, top_rows, top_columns, top_scores)
    size = SUB_REGION[0] + int(sub_positions.sum())
    region_size = REGION[0] + int(positions.sum())
    extrapolated = lsa * (region_size / size) ** 3
    memory = REGION[0] * region_size * 8 / 2**30
    print(
        f"    brute force on a sub-region {SUB_REGION[0]:,} × {SUB_REGION[1]} (all "
        f"{rows.size:,} admissible pairs): linear_sum_assignment on the {SUB_REGION[0]:,} × "
        f"{size:,} expanded matrix {lsa:.2f} s, min-cost flow on the same pairs "
        f"{flow_all * 1000:.0f} ms, totals {optimum:.4f} and {exact.total:.4f} "
        f"({'same optimum' if abs(optimum - exact.total) < 1e-3 else 'DIFFERENT'}); over top "
        f"{CANDIDATES} only: {sparse.total:.4f} ({100 * sparse.total / optimum:.2f} % of the "
        "optimum)"
    )
    print(
        f"    linear_sum_assignment for the region, extrapolated as n³: about "
        f"{extrapolated / 3600:,.1f} h, and a dense {REGION[0]:,} × {region_size:,} "
        f"matrix of {memory:,.0f} GiB: {extrapolated / max(solve_time, 1e-9):,.0f}× the flow"
    )


def quality():
    report = evaluate(generate(SEED))
    for line in report.lines():
        print(line)
    return report


def main():
    print(f"bench-match, seed {SEED}, {os.cpu_count()} cores, load average {os.getloadavg()}")
    cohort()
    data, solve_time, candidate_time, pairs, placed, total, positions = region()
    del data
    assignment(solve_time, candidate_time, pairs, placed, total, positions)
    report = quality()
    print(
        f"headline: cohort {FIGURES['cohort'] * 1000:.1f} ms, region {FIGURES['region']:.2f} s, "
        f"assignment {solve_time:.2f} s; precision@5 "
        f"{report.engine_precision_at_5:.3f} vs {report.baseline_precision_at_5:.3f} "
        f"(distance only), load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
