"""The national batch: blocking loses no pair, Dask gives the single-machine result, bad input
is refused before any work, and refused rows are reported, not guessed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster

from tremplin.engine.matching.evaluation import generate as evaluation_set
from tremplin.engine.matching.evaluation import with_text_vectors
from tremplin.engine.matching.model import MatchingInputError, Settings
from tremplin.engine.matching.national.__main__ import main
from tremplin.engine.matching.national.blocking import NO_REQUIREMENT, families
from tremplin.engine.matching.national.exact import exact_matches, recall_at_k
from tremplin.engine.matching.national.generate import generate, read_communes
from tremplin.engine.matching.national.job import Job, read_matches, run_dask, run_local
from tremplin.engine.matching.scoring import encode, score_block

TEXT_ON = {"experience_weight": 0.2}


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """3,000 job seekers and 1,500 openings over the whole country, with texts."""
    directory = tmp_path_factory.mktemp("national")
    return generate(
        communes=read_communes(),
        directory=directory,
        job_seekers=3_000,
        openings=1_500,
        seed=7,
        row_group=700,
    )


def small_job(country: tuple[Path, Path], work: Path, **options: object) -> Job:
    seekers, openings = country
    settings = options.pop("settings", TEXT_ON)
    return Job(
        job_seekers=seekers,
        openings=openings,
        work=work,
        settings=settings,  # type: ignore[arg-type]
        cell_km=10.0,
        partition_size=400,
        **options,  # type: ignore[arg-type]
    )


def rows_of(table: pa.Table) -> list[tuple[str, int, str]]:
    return list(
        zip(
            table.column("job_seeker_id").to_pylist(),
            table.column("rank").to_pylist(),
            table.column("opening_id").to_pylist(),
            strict=True,
        )
    )


@pytest.mark.parametrize("scoring", [TEXT_ON, {}], ids=["experience term on", "off"])
def test_blocking_finds_every_pair_the_unblocked_ranking_finds(country, tmp_path, scoring):
    job = small_job(country, tmp_path, settings=scoring)
    summary = run_local(job, threads=2)
    assert summary.partitions > 3 and summary.blocks > summary.partitions
    batch = read_matches(job)
    everyone = np.arange(summary.job_seekers)
    exact = exact_matches(job, everyone)
    assert exact.num_rows > 10_000  # most people have 20 openings: the check has substance
    recall = recall_at_k(batch, exact)
    assert recall.recall == 1.0
    assert recall.same_lists == len(set(exact.column("job_seeker_id").to_pylist()))
    assert recall.max_score_gap < 1e-6
    assert batch.num_rows == exact.num_rows
    # Blocking scored far fewer pairs than every job seeker × every opening.
    assert summary.pairs_scored < 0.2 * summary.job_seekers * summary.openings


def test_a_dask_cluster_of_two_workers_gives_the_single_machine_result(country, tmp_path):
    local_job = small_job(country, tmp_path / "local")
    run_local(local_job, threads=1)
    cluster_job = small_job(country, tmp_path / "cluster")
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        summary = run_dask(cluster_job, client)
        workers_used = len(client.scheduler_info()["workers"])
    assert workers_used == 2
    local, distributed = read_matches(local_job), read_matches(cluster_job)
    assert local.num_rows > 10_000 and summary.matches == local.num_rows
    assert rows_of(distributed) == rows_of(local)
    assert np.array_equal(distributed.column("score").to_numpy(), local.column("score").to_numpy())


def test_rows_the_engine_cannot_score_are_refused_with_their_reason(country, tmp_path):
    seekers, openings = country
    table = pq.read_table(seekers).slice(0, 300)
    latitude = table.column("latitude").to_pylist()
    latitude[0] = None
    mobility = table.column("mobility").to_pylist()
    mobility[1] = "jetpack"
    max_km = table.column("max_km").to_pylist()
    max_km[2] = 0.0
    ids = table.column("id").to_pylist()
    ids[299] = ids[10]
    table = table.set_column(2 + 6, "latitude", pa.array(latitude, pa.float64()))
    table = table.set_column(
        table.schema.get_field_index("mobility"), "mobility", pa.array(mobility)
    )
    table = table.set_column(table.schema.get_field_index("max_km"), "max_km", pa.array(max_km))
    table = table.set_column(table.schema.get_field_index("id"), "id", pa.array(ids))
    path = tmp_path / "seekers.parquet"
    pq.write_table(table, path)
    job = Job(job_seekers=path, openings=openings, work=tmp_path / "run", settings={})
    summary = run_local(job)
    assert (summary.job_seekers, summary.refused_job_seekers) == (296, 4)
    refused = pq.read_table(tmp_path / "run" / "refused.parquet").to_pylist()
    assert refused == [
        {"kind": "demandeur", "id": ids[0], "reason": "commune non localisée (pas de coordonnées)"},
        {
            "kind": "demandeur",
            "id": ids[1],
            "reason": "mobilité inconnue (car, two_wheeler, public_transport, limited)",
        },
        {"kind": "demandeur", "id": ids[2], "reason": "distance maximale absente ou nulle"},
        {
            "kind": "demandeur",
            "id": ids[10],
            "reason": "identifiant en double (la première ligne est gardée)",
        },
    ]
    ranked = set(read_matches(job).column("job_seeker_id").to_pylist())
    assert ranked and not ranked & set(ids[:3])


def test_a_file_without_a_needed_column_is_refused_and_the_last_results_stay(country, tmp_path):
    seekers, openings = country
    done = small_job(country, tmp_path / "run", settings={})
    run_local(done)
    before = read_matches(done)
    path = tmp_path / "seekers.parquet"
    pq.write_table(pq.read_table(seekers).drop_columns(["max_km", "hours"]), path)
    job = Job(job_seekers=path, openings=openings, work=tmp_path / "run")
    with pytest.raises(
        MatchingInputError,
        match="Colonnes manquantes dans les demandeurs d'emploi : max_km, hours",
    ):
        run_local(job)
    assert read_matches(done).equals(before) and before.num_rows > 10_000
    assert sorted(path.name for path in (tmp_path / "run").iterdir()) == [
        "matches",
        "plan.npz",
        "refused.parquet",
    ]


def test_a_file_that_is_not_parquet_is_refused(country, tmp_path):
    seekers, _ = country
    path = tmp_path / "offres.parquet"
    path.write_text("id;commune\n1;Marseille\n")
    job = Job(job_seekers=seekers, openings=path, work=tmp_path / "run")
    with pytest.raises(MatchingInputError, match="les offres : ce n'est pas un fichier Parquet"):
        run_local(job)


def test_distance_without_limit_is_refused_at_national_scale(country, tmp_path):
    job = small_job(country, tmp_path, settings={"beyond_reach": "zero"})
    with pytest.raises(MatchingInputError, match="beyond_reach"):
        run_local(job)


def test_families_join_the_competencies_required_together():
    family_of, opening_family = families([{"B", "A"}, {"C"}, {"D", "C"}, set(), {"E"}])
    assert family_of == {"A": 1, "B": 1, "C": 2, "D": 2, "E": 3}
    assert opening_family.tolist() == [1, 2, 2, NO_REQUIREMENT, 3]


def test_a_subset_of_the_encoded_arrays_scores_its_pairs_as_the_whole_does():
    data = evaluation_set(3, learners=60, openings=40)
    settings = Settings(experience_weight=0.2)
    learners, openings = with_text_vectors(data)
    whole = encode(learners, openings, settings)
    rows, columns = np.arange(0, 60, 2)[::-1], np.arange(1, 40, 2)
    part = whole.take(rows, columns)
    assert part.learner_ids == tuple(whole.learner_ids[row] for row in rows)
    expected = score_block(whole, slice(None))[np.ix_(rows, columns)]
    assert np.isfinite(expected).sum() >= 10
    got = score_block(part, slice(None))
    # The same pairs, the same scores but for the last bits of the texts' float32 product,
    # whose rounding follows the block's shape (BLAS).
    assert np.array_equal(np.isfinite(got), np.isfinite(expected))
    assert np.allclose(got[np.isfinite(got)], expected[np.isfinite(expected)], rtol=0, atol=1e-6)
    # Without the texts, nothing depends on the shape: bit for bit.
    plain = encode(data.learners, data.openings)
    assert np.array_equal(
        score_block(plain.take(rows, columns), slice(None)),
        score_block(plain, slice(None))[np.ix_(rows, columns)],
    )


def test_the_command_line_runs_a_batch_and_refuses_bad_input(country, tmp_path, capsys):
    seekers, openings = country
    arguments = ["run", "--job-seekers", str(seekers), "--openings", str(openings)]
    assert main([*arguments, "--work", str(tmp_path / "run"), "--threads", "1"]) == 0
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["job_seekers"] == 3_000 and summary["matches"] > 10_000
    assert read_matches(Job(seekers, openings, tmp_path / "run")).num_rows == summary["matches"]
    missing = ["run", "--job-seekers", str(tmp_path / "absent.parquet"), "--openings"]
    assert main([*missing, str(openings), "--work", str(tmp_path / "bad")]) == 2
    assert "Refusé : Fichier introuvable pour les demandeurs d'emploi" in capsys.readouterr().err
    weight = [*arguments, "--work", str(tmp_path / "bad"), "--experience-weight", "1.5"]
    assert main(weight) == 2
    assert "Le poids du critère expérience" in capsys.readouterr().err


def test_the_command_line_generates_the_same_country_from_the_same_seed(tmp_path, capsys):
    options = ["--job-seekers", "500", "--openings", "120", "--seed", "3"]
    assert main(["generate", "--out", str(tmp_path / "a"), *options]) == 0
    assert main(["generate", "--out", str(tmp_path / "b"), *options]) == 0
    for name in ("job_seekers.parquet", "openings.parquet"):
        first, second = (pq.read_table(tmp_path / side / name) for side in ("a", "b"))
        assert first.num_rows in (500, 120) and first.equals(second)
    assert str(tmp_path / "a" / "job_seekers.parquet") in capsys.readouterr().out


def test_a_list_where_no_one_can_be_scored_gives_an_empty_result(country, tmp_path):
    seekers, openings = country
    table = pq.read_table(seekers).slice(0, 50)
    nowhere = pa.nulls(table.num_rows, pa.float64())
    table = table.set_column(table.schema.get_field_index("latitude"), "latitude", nowhere)
    path = tmp_path / "seekers.parquet"
    pq.write_table(table, path)
    job = Job(job_seekers=path, openings=openings, work=tmp_path / "run")
    summary = run_local(job)
    assert (summary.job_seekers, summary.refused_job_seekers, summary.partitions) == (0, 50, 0)
    assert read_matches(job).num_rows == 0
    assert pq.read_table(tmp_path / "run" / "refused.parquet").num_rows == 50


def test_no_valid_opening_gives_an_empty_result_and_the_reasons(country, tmp_path):
    seekers, openings = country
    table = pq.read_table(openings).slice(0, 20)
    table = table.set_column(
        table.schema.get_field_index("contract"), "contract", pa.array(["stage"] * 20)
    )
    path = tmp_path / "openings.parquet"
    pq.write_table(table, path)
    job = Job(job_seekers=seekers, openings=path, work=tmp_path / "run")
    summary = run_local(job)
    assert (summary.openings, summary.refused_openings, summary.matches) == (0, 20, 0)
    refused = pq.read_table(tmp_path / "run" / "refused.parquet").to_pylist()
    assert {(row["kind"], row["reason"]) for row in refused} == {
        ("offre", "type de contrat inconnu")
    }
