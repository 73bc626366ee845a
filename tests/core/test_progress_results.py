"""A background task's result: text as it is, a PDF's bytes kept base64-encoded in the same
text column and served with their type."""

import pytest

from tests import factories
from tremplin.core.progress import progress_finish, progress_result, progress_start

pytestmark = pytest.mark.django_db


def started(world):
    return progress_start(
        owner=world.user("coordinator"), kind="test", label="Test", enqueue=lambda pk: None
    )


def test_a_pdf_result_round_trips_and_downloads(client_for, world):
    progress = started(world)
    content = b"%PDF-1.7\n\x00\xff binary"
    progress_finish(progress, result_name="rapport.pdf", result_content=content)
    progress.refresh_from_db()
    assert progress_result(progress) == (content, "application/pdf")
    response = client_for("coordinator").get(f"/taches/{progress.pk}/resultat/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content == content
    assert 'filename="rapport.pdf"' in response["Content-Disposition"]


def test_a_csv_result_stays_text(client_for, world):
    progress = factories.finished_task(world.user("coordinator"))
    assert progress_result(progress) == ("a;b\n", "text/csv; charset=utf-8")
    response = client_for("coordinator").get(f"/taches/{progress.pk}/resultat/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(("name", "content"), [("rapport.pdf", "texte"), ("export.csv", b"a;b")])
def test_bytes_go_with_a_binary_name_only(world, name, content):
    with pytest.raises(ValueError):
        progress_finish(started(world), result_name=name, result_content=content)
