"""Importing job offers (France Travail) as openings: all of a file, or nothing.

``offers_preview`` says what an import would do (openings created and updated, employers
added) without writing; ``offers_import`` writes it in one transaction. An offer is known by
its source and its id (``Opening.source`` + ``external_id``, unique), so importing the same
offers again updates the openings instead of adding copies; an opening's status is never
changed by an import, since filling or closing it is the coordinator's and employer's act.

The competencies of each opening come from the project's ROME → competencies table
(``rome_map.py``), resolved against the frameworks installed in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_entry
from tremplin.core.models import AuditEntry
from tremplin.organisations.enums import OrganisationKind
from tremplin.organisations.models import Organisation
from tremplin.programmes.models import Competency

from .enums import OpeningSource
from .francetravail import OfferData, OfferFileReport
from .models import Opening
from .perms import can_import_offers
from .rome_map import rome_competencies

# The Opening fields an import owns; whatever else (status, employer site) stays as set here.
IMPORTED_FIELDS = (
    "employer",
    "title",
    "description",
    "rome_code",
    "contract_type",
    "commune",
    "commune_code",
    "latitude",
    "longitude",
    "hours_label",
    "working_time",
    "positions",
    "published_on",
)


class OffersImportRejected(Exception):
    """Nothing was written; ``message`` for the page, ``report`` with per-offer problems."""

    def __init__(self, message: str, report: OfferFileReport | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.report = report


@dataclass(frozen=True)
class OffersImportResult:
    created: int
    updated: int
    employers_created: tuple[str, ...]


def _employers_by_name(names: Iterable[str]) -> dict[str, Organisation]:
    """Existing employer organisations by case-folded name (France Travail writes many in
    capitals: « FREE PRO » is the partner « Free Pro »)."""
    wanted = {name.casefold() for name in names}
    found: dict[str, Organisation] = {}
    for org in Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).order_by("id"):
        key = org.name.casefold()
        if key in wanted:
            found.setdefault(key, org)
    return found


def offers_preview(
    report: OfferFileReport, *, source: str = OpeningSource.FRANCE_TRAVAIL
) -> OffersImportResult:
    """What ``offers_import`` would do with a clean report; reads only."""
    ids = [offer.offer_id for offer in report.offers]
    known = set(
        Opening.objects.filter(source=source, external_id__in=ids).values_list(
            "external_id", flat=True
        )
    )
    employers = _employers_by_name(o.employer_name for o in report.offers)
    new_employers: dict[str, str] = {}
    for offer in report.offers:
        key = offer.employer_name.casefold()
        if key not in employers:
            new_employers.setdefault(key, offer.employer_name)
    return OffersImportResult(
        created=len(ids) - len(known),
        updated=len(known),
        employers_created=tuple(sorted(new_employers.values())),
    )


def _competencies_by_rome(
    rome_codes: set[str],
) -> dict[str, tuple[list[Competency], list[Competency]]]:
    """ROME code → (required, desired) competency rows, from the installed frameworks."""
    table = rome_competencies()
    result: dict[str, tuple[list[Competency], list[Competency]]] = {}
    for rome_code in sorted(rome_codes):
        required: list[Competency] = []
        desired: list[Competency] = []
        for item in table.get(rome_code, ()):
            rows = {
                c.code: c
                for c in Competency.objects.filter(
                    block__certification__code=item.framework,
                    block__certification__version=item.framework_version,
                    code__in=item.required + item.desired,
                )
            }
            missing = [code for code in item.required + item.desired if code not in rows]
            if missing:
                raise OffersImportRejected(
                    _(
                        "Le référentiel « %(framework)s » version %(version)s n'est pas installé "
                        "ou n'a pas les compétences %(codes)s (code ROME %(rome)s) : installez "
                        "les référentiels (manage.py load_frameworks) avant d'importer."
                    )
                    % {
                        "framework": item.framework,
                        "version": item.framework_version,
                        "codes": ", ".join(missing),
                        "rome": rome_code,
                    }
                )
            required += [rows[code] for code in item.required]
            desired += [rows[code] for code in item.desired]
        result[rome_code] = (required, desired)
    return result


def _fill(opening: Opening, offer: OfferData, employer: Organisation) -> None:
    opening.employer = employer
    opening.title = offer.title
    opening.description = offer.description
    opening.rome_code = offer.rome_code
    opening.contract_type = offer.contract_type
    opening.commune = offer.commune
    opening.commune_code = offer.commune_code
    opening.latitude = offer.latitude
    opening.longitude = offer.longitude
    opening.hours_label = offer.hours_label
    opening.working_time = offer.working_time
    opening.positions = offer.positions
    opening.published_on = offer.published_on


def offers_import(
    *, by: Any, report: OfferFileReport, source: str = OpeningSource.FRANCE_TRAVAIL
) -> OffersImportResult:
    """Create or update one opening per offer of a clean report, in one transaction.

    A report with any problem is refused whole: the problems are the user's to fix, and a
    partial import would leave them guessing which offers went in.
    """
    if by is not None and getattr(by, "pk", None) and not can_import_offers(by):
        raise OffersImportRejected(_("Vous ne pouvez pas importer d'offres."))
    if report.errors or report.more_errors:
        raise OffersImportRejected(
            _("Le fichier comporte des erreurs : aucune offre n'a été importée."), report
        )
    if not report.offers:
        raise OffersImportRejected(_("Le fichier ne contient aucune offre."), report)
    try:
        with transaction.atomic():
            result = _write(by=by, offers=report.offers, source=source)
    except IntegrityError:
        # Two imports of the same offers at once: the unique (source, external_id) stopped
        # the second one, which wrote nothing.
        raise OffersImportRejected(
            _("Un autre import des mêmes offres vient d'avoir lieu : relancez l'import.")
        ) from None
    return result


def _write(*, by: Any, offers: list[OfferData], source: str) -> OffersImportResult:
    competencies = _competencies_by_rome({offer.rome_code for offer in offers})
    existing = {
        o.external_id: o
        for o in Opening.objects.select_for_update().filter(
            source=source, external_id__in=[offer.offer_id for offer in offers]
        )
    }
    employers = _employers_by_name(offer.employer_name for offer in offers)
    created_employers: list[Organisation] = []
    to_create: list[Opening] = []
    to_update: list[Opening] = []
    for offer in offers:
        key = offer.employer_name.casefold()
        employer = employers.get(key)
        if employer is None:
            employer = Organisation.objects.create(
                kind=OrganisationKind.EMPLOYER, name=offer.employer_name
            )
            employers[key] = employer
            created_employers.append(employer)
        opening = existing.get(offer.offer_id)
        if opening is None:
            opening = Opening(source=source, external_id=offer.offer_id)
            to_create.append(opening)
        else:
            to_update.append(opening)
        _fill(opening, offer, employer)
    Opening.objects.bulk_create(to_create)
    Opening.objects.bulk_update(to_update, IMPORTED_FIELDS)

    # The competencies are replaced as a whole: the mapping table may have changed since the
    # last import, and the opening must follow it.
    by_opening = {o.external_id: o for o in to_create + to_update}
    required_through = Opening.required_competencies.through
    desired_through = Opening.desired_competencies.through
    updated_ids = [o.pk for o in to_update]
    required_through.objects.filter(opening_id__in=updated_ids).delete()
    desired_through.objects.filter(opening_id__in=updated_ids).delete()
    required_rows = []
    desired_rows = []
    for offer in offers:
        opening = by_opening[offer.offer_id]
        required, desired = competencies[offer.rome_code]
        required_rows += [
            required_through(opening_id=opening.pk, competency_id=c.pk) for c in required
        ]
        desired_rows += [
            desired_through(opening_id=opening.pk, competency_id=c.pk) for c in desired
        ]
    required_through.objects.bulk_create(required_rows)
    desired_through.objects.bulk_create(desired_rows)

    entries = [
        audit_entry(actor=by, action="organisation.create", obj=org, via="import_offres")
        for org in created_employers
    ]
    entries += [
        audit_entry(actor=by, action="opening.import", obj=o, source=source, id=o.external_id)
        for o in to_create
    ]
    entries += [
        audit_entry(actor=by, action="opening.import_update", obj=o, source=source)
        for o in to_update
    ]
    AuditEntry.objects.bulk_create(entries)
    return OffersImportResult(
        created=len(to_create),
        updated=len(to_update),
        employers_created=tuple(sorted(org.name for org in created_employers)),
    )
