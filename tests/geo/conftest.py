"""The geography fixtures (tests/geo/fixtures.py), for every test of this folder."""

from tests.geo.fixtures import communes_13, fake_ban, qpv_batch  # noqa: F401
