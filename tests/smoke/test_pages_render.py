import pytest

pytestmark = pytest.mark.django_db


def test_home_renders_for_coordinator(client_for):
    response = client_for("coordinator").get("/")
    assert response.status_code == 200
