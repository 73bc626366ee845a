"""A sealed half-day of three learners, and reading a PDF back as text, for the documents tests."""

import subprocess
from typing import Any

from tests.attendance.builders import HalfDay, at, monday_morning
from tests.plateau.builders import MONDAY
from tremplin.attendance import services as attendance

SCREEN = {"method": "trainer_screen", "ip": "192.0.2.10", "device": "Tablette salle"}


def sealed_monday(world: Any, frozen_clock: Any) -> HalfDay:
    """Ali signs on time, Béatrice 30 minutes late, Chloé is absent; the trainer seals."""
    half = monday_morning(world)
    trainer = world.user("trainer")
    ali, bea, chloe = half.learners
    frozen_clock.move_to(at(MONDAY, 9, 5))
    attendance.sign(session=half.session, enrolment=ali, by=trainer, **SCREEN)
    frozen_clock.move_to(at(MONDAY, 9, 30))
    attendance.sign(session=half.session, enrolment=bea, by=trainer, **SCREEN)
    attendance.mark_absent(session=half.session, enrolment=chloe, by=trainer)
    frozen_clock.move_to(at(MONDAY, 12, 35))
    attendance.countersign(session=half.session, by=trainer, ip="192.0.2.10", device="Tablette")
    return half


def pdf_text(content: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it, lines joined by single spaces."""
    out = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.split())
