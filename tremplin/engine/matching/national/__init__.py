"""National batch matching: the top openings of every job seeker of a country-wide list.

A France Travail regional office or the network's head office sends a list of job seekers
(Parquet); the batch ranks the best ``k`` openings of each, with the placement engine's
scoring unchanged (``scoring.encode``, ``Encoded.take``, ``top_openings``), and returns the
matches as Parquet, from which the best-placed people of a department are exported as a
referral file the intake import reads as it is (``tremplin.intake.national``).

What makes a country fit (docs/scale.md):

- ``blocking``: pairs that cannot score are never looked at. Geography: the job seekers of
  one grid cell see only the openings within the farthest reach in the cell, plus the
  cell's own radius (exact, by the triangle inequality). Skills: openings fall into
  families of competencies that are required together, and a job seeker sees only the
  families they hold a competency of (exact when a missing required competency excludes).
- ``job``: the cells are packed into partitions of about the same number of people, each
  scored on its own (one ``encode``, then one engine call per block of cell × family); the
  same partition function runs in this process (``run_local``) or on a Dask cluster
  (``run_dask``), and both write the same files.
- ``tables``: the Parquet schemas, read into the engine's ``Learner`` and ``Opening``.
- ``generate``: a seeded country of job seekers and openings on the communes table, for the
  benchmark and the tests.
- ``exact``: the reference without blocking, and recall@k against it.
"""
