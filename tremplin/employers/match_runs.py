"""A cohort's optimal placement: starting a run, recording its answer, proposing its pairs.

The coordinator of the cohort's site (or the admin of its network) starts a run with the
pairs they lock (already agreed with the employer) and forbid (the person said no); the
task ``tasks.match_cohort`` solves it in the background and records the answer. Proposing
a finished run creates one proposal per placed pair, all or nothing: if any pair has become
impossible since the run (opening closed or full, learner hired, gone or no longer
consenting), nothing is written and the message names the pair, so the coordinator re-runs.

Also the door to runs: only those who manage the cohort's site see one (a run lists
learners' names next to employers' openings, with their scores).
"""

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_network_admin, manages_site
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Cohort, Enrolment
from tremplin.core.audit import audit
from tremplin.core.progress import progress_start

from .enums import OpeningStatus, ProposalStatus
from .models import MatchRun, Opening, Proposal
from .services import PlacementError, proposal_create

Pair = list[int]
# Ids beyond a database integer are nobody's: refused before any query.
ID_MAX = 2**31 - 1


# The door.


def may_place(user: Any) -> bool:
    """Coordinators and network admins place learners; every other role is refused (403)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in (Role.COORDINATOR, Role.NETWORK_ADMIN)
    )


def can_place_cohort(user: Any, cohort: Cohort) -> bool:
    return manages_site(user, cohort.site)


def match_runs_for_user(user: Any) -> QuerySet[MatchRun]:
    runs = MatchRun.objects.select_related(
        "cohort__site", "requested_by", "proposed_by", "progress"
    )
    if is_network_admin(user):
        return runs.filter(cohort__site__network_id=user.organisation_id)
    if user.is_authenticated and user.is_active and user.role == Role.COORDINATOR:
        return runs.filter(cohort__site_id=user.site_id)
    return runs.none()


def get_match_run_for_user(user: Any, run_id: int) -> MatchRun:
    """The run, if ``user`` manages its cohort's site; 404 otherwise (another site's)."""
    return get_object_or_404(match_runs_for_user(user), pk=run_id)


def is_finished(run: MatchRun) -> bool:
    """The task recorded an answer (a failed run never does)."""
    return run.total is not None


# Starting and recording a run.


def clean_pairs(pairs: Iterable[Any], what: str) -> list[Pair]:
    """``[[enrolment_id, opening_id], …]`` without repeats, or a PlacementError.

    ``what`` names the kind of pair in the message (« imposés », « interdits »).
    """
    cleaned: list[Pair] = []
    try:
        items = list(pairs)
    except TypeError:
        items = [pairs]
    for pair in items:
        # bool is an int to Python, never an id to us.
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(
                isinstance(i, int) and not isinstance(i, bool) and 0 < i <= ID_MAX for i in pair
            )
        ):
            raise PlacementError(
                _(
                    "Les couples %(what)s doivent être des paires de deux numéros entiers "
                    "(apprenant, offre)."
                )
                % {"what": what}
            )
        if list(pair) not in cleaned:
            cleaned.append([pair[0], pair[1]])
    return cleaned


def _check_locks_fit(locked: list[Pair]) -> None:
    """No opening gets more locked people than its free positions.

    The engine refuses it too, but by the opening's index in its list; here the message
    names the opening. A hire between now and the task's run is still caught by the engine.
    """
    wanted = Counter(opening_id for _enrolment, opening_id in locked)
    openings = Opening.objects.select_related("employer").in_bulk(list(wanted))
    hired = dict(
        Proposal.objects.filter(opening_id__in=wanted, status=ProposalStatus.HIRED)
        .values_list("opening_id")
        .annotate(n=Count("id"))
        .values_list("opening_id", "n")
    )
    for opening_id, count in wanted.items():
        opening = openings.get(opening_id)
        if opening is None:
            raise PlacementError(_("Un couple imposé vise une offre qui n'existe pas."))
        free = max(opening.positions - hired.get(opening_id, 0), 0)
        if count > free:
            raise PlacementError(
                _(
                    "Plus de personnes imposées (%(count)d) que de postes libres (%(free)d) "
                    "sur l'offre « %(opening)s » (%(employer)s)."
                )
                % {
                    "count": count,
                    "free": free,
                    "opening": opening.title,
                    "employer": opening.employer,
                }
            )


def match_start(
    *,
    by: Any,
    cohort: Cohort,
    locked: Iterable[Any] = (),
    forbidden: Iterable[Any] = (),
    enqueue: Callable[[int, int], Any],
) -> MatchRun:
    """Record a placement run of ``cohort`` and enqueue ``enqueue(progress_id, run_id)``."""
    if not manages_site(by, cohort.site):
        raise PlacementError(
            _("Seule la coordination du site peut lancer le placement optimal de cette promotion.")
        )
    locked_pairs = clean_pairs(locked, _("imposés"))
    forbidden_pairs = clean_pairs(forbidden, _("interdits"))
    # Refused here rather than by the engine in the background: the coordinator fixes the
    # checkboxes on the page they just submitted.
    if any(pair in forbidden_pairs for pair in locked_pairs):
        raise PlacementError(_("Un même couple ne peut pas être à la fois imposé et interdit."))
    if len({enrolment_id for enrolment_id, _opening in locked_pairs}) != len(locked_pairs):
        raise PlacementError(_("Une personne ne peut être imposée que sur une seule offre."))
    enrolment_ids = {pair[0] for pair in locked_pairs + forbidden_pairs}
    ours = set(
        Enrolment.objects.filter(cohort=cohort, pk__in=enrolment_ids).values_list("pk", flat=True)
    )
    if enrolment_ids - ours:
        raise PlacementError(_("Un couple vise un apprenant qui n'est pas de cette promotion."))
    _check_locks_fit(locked_pairs)
    with transaction.atomic():
        run = MatchRun.objects.create(
            cohort=cohort, requested_by=by, locked=locked_pairs, forbidden=forbidden_pairs
        )
        run.progress = progress_start(
            owner=by,
            kind="match_cohort",
            label=_("Placement optimal — %(cohort)s") % {"cohort": cohort.name},
            enqueue=lambda pk: enqueue(pk, run.pk),
        )
        run.save(update_fields=["progress"])
        audit(
            actor=by,
            action="match_run.start",
            obj=run,
            cohort=cohort.pk,
            locked=len(locked_pairs),
            forbidden=len(forbidden_pairs),
        )
    return run


def match_record(*, run: MatchRun, result: dict[str, Any], wall_time: float) -> MatchRun:
    """Keep the engine's answer on the run (the task's last write)."""
    with transaction.atomic():
        run.result = result
        run.total = float(result.get("total", 0.0))
        run.wall_time = wall_time
        run.save(update_fields=["result", "total", "wall_time"])
        audit(
            actor=run.requested_by,
            action="match_run.solved",
            obj=run,
            placed=len(placed_entries(run)),
            total=run.total,
        )
    return run


def placed_entries(run: MatchRun) -> list[dict[str, Any]]:
    """The run's learners who were given an opening."""
    return [e for e in run.result.get("placements", []) if e.get("opening") is not None]


# Proposing a run.


def _refuse(reason: str) -> PlacementError:
    return PlacementError(
        _("Rien n'a été proposé : %(reason)s Relancez le placement optimal pour en tenir compte.")
        % {"reason": reason}
    )


def match_propose(*, by: Any, run: MatchRun, note: str = "") -> list[Proposal]:
    """One proposal per placed pair of the finished run, all or nothing, once."""
    if not manages_site(by, run.cohort.site):
        raise PlacementError(
            _("Seule la coordination du site peut proposer les placements de cette promotion.")
        )
    with transaction.atomic():
        # The run's row is locked so two clicks never propose it twice.
        current = MatchRun.objects.select_for_update().get(pk=run.pk)
        if not is_finished(current):
            raise PlacementError(
                _("Le calcul n'est pas terminé : attendez son résultat avant de proposer.")
            )
        if current.proposed_at is not None:
            raise PlacementError(
                _("Ces placements ont déjà été proposés le %(date)s.")
                % {"date": timezone.localtime(current.proposed_at).strftime("%d/%m/%Y %H:%M")}
            )
        entries = placed_entries(current)
        if not entries:
            raise PlacementError(_("Ce placement ne place personne : il n'y a rien à proposer."))
        enrolments = Enrolment.objects.select_related("candidacy__person").in_bulk(
            [e["enrolment"] for e in entries]
        )
        # Locked in a fixed order (pk), as proposal_create will lock each again: no deadlock
        # with another proposal or a hire on the same openings.
        openings = {
            o.pk: o
            for o in Opening.objects.select_for_update()
            .filter(pk__in={e["opening"] for e in entries})
            .order_by("pk")
        }
        hired_on = dict(
            Proposal.objects.filter(opening_id__in=openings, status=ProposalStatus.HIRED)
            .values_list("opening_id")
            .annotate(n=Count("id"))
            .values_list("opening_id", "n")
        )
        hired_learners = set(
            Proposal.objects.filter(
                enrolment_id__in=enrolments, status=ProposalStatus.HIRED
            ).values_list("enrolment_id", flat=True)
        )
        wanted = Counter(e["opening"] for e in entries)
        proposals = []
        for entry in entries:
            names = {
                "name": entry.get("name", ""),
                "opening": entry.get("opening_title", ""),
                "employer": entry.get("employer", ""),
            }
            enrolment = enrolments.get(entry["enrolment"])
            opening = openings.get(entry["opening"])
            if enrolment is None or enrolment.cohort_id != current.cohort_id:
                raise _refuse(_("%(name)s n'est plus inscrit·e dans cette promotion.") % names)
            names["name"] = enrolment.candidacy.person.full_name
            if opening is None:
                raise _refuse(_("l'offre « %(opening)s » (%(employer)s) n'existe plus.") % names)
            names["opening"], names["employer"] = opening.title, str(opening.employer)
            if opening.status != OpeningStatus.OPEN:
                raise _refuse(
                    _(
                        "l'offre « %(opening)s » (%(employer)s) prévue pour %(name)s "
                        "n'est plus ouverte."
                    )
                    % names
                )
            free = opening.positions - hired_on.get(opening.pk, 0)
            if wanted[opening.pk] > free:
                raise _refuse(
                    _(
                        "l'offre « %(opening)s » (%(employer)s) prévue pour %(name)s "
                        "n'a plus assez de postes libres (%(free)d)."
                    )
                    % (names | {"free": max(free, 0)})
                )
            if enrolment.pk in hired_learners:
                raise _refuse(_("%(name)s a été embauché·e entre-temps.") % names)
            if enrolment.status not in (EnrolmentStatus.IN_TRAINING, EnrolmentStatus.COMPLETED):
                raise _refuse(
                    _("%(name)s n'est plus ni en formation ni diplômé·e (%(status)s).")
                    % (names | {"status": enrolment.get_status_display()})
                )
            try:
                proposal = proposal_create(opening=opening, enrolment=enrolment, by=by, note=note)
            except PlacementError as error:
                # Consent withdrawn, or proposed by hand meanwhile: named, and everything
                # created so far in this transaction is rolled back with it.
                raise _refuse(
                    _("%(name)s → « %(opening)s » (%(employer)s) : %(error)s")
                    % (names | {"error": error.message})
                ) from error
            proposals.append(proposal)
        current.proposed_at, current.proposed_by = timezone.now(), by
        current.save(update_fields=["proposed_at", "proposed_by"])
        audit(actor=by, action="match_run.propose", obj=current, proposals=len(proposals))
    run.proposed_at, run.proposed_by = current.proposed_at, current.proposed_by
    return proposals
