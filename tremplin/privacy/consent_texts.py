"""The consent texts people agree to, versioned: a record keeps the version and its SHA-256.

A text never changes once published: a new wording is a new version (``"AAAA-MM"``), added
here, and ``CURRENT`` points to it; records keep the version they were given under. The texts
are French and deliberately not translated (no gettext): what the person agreed to is this
exact wording, and the hash proves it. ``UNKNOWN_VERSION`` marks consents recorded before the
texts were versioned (data migration ``privacy.0002``): the wording shown then is not known.
"""

import hashlib
from dataclasses import dataclass

from .enums import ConsentPurpose

UNKNOWN_VERSION = "avant-2026-12"


@dataclass(frozen=True)
class ConsentText:
    purpose: str
    version: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


_TEXTS = [
    ConsentText(
        ConsentPurpose.PROGRAMME,
        "2026-12",
        "J'accepte que les informations me concernant (identité, coordonnées, situation, "
        "parcours) soient partagées entre mon conseiller, l'équipe du programme et le centre "
        "de formation, pour étudier ma candidature puis suivre ma formation et mon retour à "
        "l'emploi. Elles sont conservées le temps du parcours et des suivis à 12 mois. Je peux "
        "y accéder, les faire rectifier ou demander leur effacement auprès du coordinateur.",
    ),
    ConsentText(
        ConsentPurpose.EMPLOYERS,
        "2026-12",
        "J'accepte que mon profil (prénom, initiale du nom, compétences acquises, disponibilité, "
        "commune) soit transmis aux employeurs partenaires du programme qui proposent un poste "
        "qui me correspond, et que mon nom complet et mes coordonnées leur soient donnés si je "
        "suis proposé·e pour un poste. Je peux retirer ce consentement à tout moment : les "
        "employeurs ne verront plus mon profil.",
    ),
    ConsentText(
        ConsentPurpose.SENSITIVE,
        "2026-12",
        "J'accepte que les informations sur ma santé (reconnaissance de la qualité de "
        "travailleur handicapé, aménagements ou restrictions) et ma situation sociale "
        "(allocations, logement, contraintes familiales, suivi social) soient enregistrées, "
        "chiffrées, pour adapter ma formation et lever les freins à mon retour à l'emploi. "
        "Seuls le ou les coordinateurs de mon site de formation les voient, chaque consultation "
        "est enregistrée, et elles ne sont jamais transmises aux formateurs, aux employeurs ni "
        "aux financeurs. Je peux retirer ce consentement à tout moment : ces informations sont "
        "alors effacées.",
    ),
]

TEXTS: dict[tuple[str, str], ConsentText] = {(t.purpose, t.version): t for t in _TEXTS}
CURRENT: dict[str, str] = {purpose.value: "2026-12" for purpose in ConsentPurpose}


def current_text(purpose: str) -> ConsentText:
    return TEXTS[purpose, CURRENT[purpose]]


def text_of(purpose: str, version: str) -> ConsentText | None:
    """The text of that version, or None (unknown version, e.g. ``UNKNOWN_VERSION``)."""
    return TEXTS.get((purpose, version))
