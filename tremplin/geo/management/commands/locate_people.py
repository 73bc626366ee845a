"""(Re)locate people from their address: commune, coordinates, priority neighbourhood."""

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tremplin.geo.geocoding import get_geocoder
from tremplin.geo.services import person_locate
from tremplin.people.models import Person


class Command(BaseCommand):
    help = (
        "Localise les personnes d'après leur adresse (géocodeur configuré, repli sur la "
        "commune), par lots ; chaque personne est écrite dans sa propre transaction, la "
        "commande peut donc être interrompue et relancée (--missing reprend où elle en était)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--missing", action="store_true", help="Seulement les personnes pas encore localisées."
        )
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        people = Person.objects.order_by("pk")
        if options["missing"]:
            people = people.filter(located_at__isnull=True)
        ids = list(people.values_list("pk", flat=True))
        geocoder = get_geocoder()
        sources: Counter[str] = Counter()
        size = max(1, options["batch_size"])
        for start in range(0, len(ids), size):
            for person in Person.objects.filter(pk__in=ids[start : start + size]).order_by("pk"):
                person_locate(person=person, geocoder=geocoder)
                sources[person.location_source or "non localisée"] += 1
            self.stdout.write(f"{min(start + size, len(ids))}/{len(ids)}")
        in_qpv = Person.objects.filter(pk__in=ids).exclude(qpv_code="").count()
        summary = ", ".join(f"{source} : {n}" for source, n in sorted(sources.items()))
        self.stdout.write(f"{len(ids)} personnes ({summary}) ; {in_qpv} en QPV")
