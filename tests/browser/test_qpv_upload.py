"""The QPV file, clicked like a person: a network admin uploads a file with a broken outline,
reads why it is refused, uploads the corrected file and imports it; a prescriber then checks
that an address point lies in the new neighbourhood.

The outlines are the tests' own (tests/geo/helpers.py): no registry ships the official ones.
"""

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.pages import log_in
from tests.geo.helpers import INSIDE, collection, feature, polygon, two_neighbourhoods
from tremplin.geo.communes import load_communes
from tremplin.geo.models import QpvImport

pytestmark = pytest.mark.browser

BOW_TIE = [[5.42, 43.34], [5.44, 43.36], [5.44, 43.34], [5.42, 43.36], [5.42, 43.34]]


def test_qpv_upload_then_lookup(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    world: Any,
    tmp_path: Any,
) -> None:
    load_communes(departments=["13"])

    broken = tmp_path / "QP2024_essai.geojson"
    broken.write_bytes(
        collection(
            json.loads(two_neighbourhoods())["features"][1],
            feature(geometry=polygon(BOW_TIE)),
        )
    )
    fixed = tmp_path / "QP2024_essai_corrige.geojson"
    fixed.write_bytes(two_neighbourhoods())

    admin = log_in(new_context, world.user("network_admin"))
    admin.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Quartiers prioritaires", exact=True
    ).click()
    expect(admin.get_by_text("Aucun fichier importé")).to_be_visible()
    upload = admin.get_by_label(re.compile(r"^Fichier GeoJSON des quartiers prioritaires"))
    upload.set_input_files(str(broken))
    admin.get_by_role("button", name="Vérifier le fichier").click()
    expect(admin.get_by_role("alert")).to_contain_text("Fichier refusé : 1 problème.")
    errors = admin.get_by_role("table", name="Problèmes trouvés dans le fichier")
    expect(errors.get_by_role("row").nth(1)).to_contain_text(
        "2QN01391T : le contour se recoupe lui-même"
    )
    assert not QpvImport.objects.exists()

    admin.get_by_role("link", name="Déposer un fichier corrigé").click()
    admin.get_by_label(re.compile(r"^Fichier GeoJSON des quartiers prioritaires")).set_input_files(
        str(fixed)
    )
    admin.get_by_role("button", name="Vérifier le fichier").click()
    expect(admin.get_by_role("status")).to_have_text(
        "2 quartiers prioritaires valides dans 2 communes."
    )
    admin.get_by_role("button", name="Importer ces quartiers").click()
    expect(admin.locator("#task-status")).to_have_text(
        "Terminée — 2 quartiers prioritaires importés"
    )
    assert QpvImport.objects.get().source_name == fixed.name

    prescriber = log_in(new_context, world.user("prescriber"))
    prescriber.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Localiser une adresse", exact=True
    ).click()
    prescriber.get_by_label("Latitude").fill(str(INSIDE[1]))
    prescriber.get_by_label("Longitude").fill(str(INSIDE[0]))
    prescriber.get_by_role("button", name="Localiser").click()
    result = prescriber.locator("#location-qpv")
    expect(result).to_have_text("Quartier d'essai Nord (QN01391T)")
    expect(prescriber.locator("#location-result")).to_contain_text(
        "Marseille 13e Arrondissement (13213)"
    )
