"""Break-the-glass: emergency access to a chart outside the trainee's work queue.

The policy (which reasons justify it, which sections exist) is simulations/privacy/emergency_access.py
(45 CFR 164.312(a)(2)(ii), 164.308(a)(4)). The service records the reason, the justification, the scope
and the limit, notifies the trainee's cohort supervisors at once (an e-mail through Django's mail API and
an audit event), and appends the action-log row, in one transaction. The grant lapses by itself: after
its limit in simulated time the chart is closed again (break_glass_selectors.chart_access).
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from coursesite.audit.services import audit_record
from coursesite.people.models import Membership

from .break_glass_selectors import active_grant, break_glass_limit, in_work_queue
from .models import BreakGlassGrant, Patient, Shift
from .privacy.emergency_access import REASONS, SECTIONS, break_glass_problems
from .services import OfficeActionError, _require_open, action_log_write


def _supervisor_emails(learner) -> list[str]:
    cohorts = Membership.objects.filter(user=learner, role=Membership.Role.TRAINEE).values("cohort")
    return sorted(
        set(
            Membership.objects.filter(cohort__in=cohorts, role=Membership.Role.SUPERVISOR)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


@transaction.atomic
def break_glass_request(
    *, shift: Shift, patient: Patient, reason: str, justification: str, sections: list[str]
) -> BreakGlassGrant:
    """Open a chart outside the work queue for an emergency: reason, justification, scope, time limit;
    the supervisors are told at once. Refused (nothing recorded) if incomplete or not needed."""
    shift = _require_open(shift)
    if in_work_queue(shift=shift, patient=patient):
        raise OfficeActionError("This patient is in your work queue: open the chart the normal way.")
    if active_grant(shift=shift, patient=patient) is not None:
        raise OfficeActionError("You already have emergency access to this chart.")
    problems = break_glass_problems(reason=reason, justification=justification, sections=sections)
    if problems:
        raise OfficeActionError(*problems)
    now = shift.now
    minutes = break_glass_limit(shift)
    grant = BreakGlassGrant(
        shift=shift,
        patient=patient,
        reason=reason,
        justification=justification.strip()[:2000],
        sections=[s for s in SECTIONS if s in set(sections)],
        granted_at_sim=now,
        # The grant is made at the time of its own log row (the clock moves with each action).
        expires_at_sim=None if minutes is None else now + timedelta(minutes=minutes),
        granted_at=timezone.now(),
        notified=_supervisor_emails(shift.learner),
    )
    grant.full_clean()
    grant.save()
    after = {
        "grant": grant.pk,
        "reason": reason,
        "justification": grant.justification,
        "sections": grant.sections,
        "expires": grant.expires_at_sim.isoformat() if grant.expires_at_sim else "end of shift",
        "supervisor_notified": True,
        "notified": len(grant.notified),
    }
    action_log_write(
        shift=shift, kind="break_glass", target=f"patient:{patient.pk}", patient_key=patient.key, after=after
    )
    audit_record(
        action="break_glass",
        actor=shift.learner,
        target=patient,
        shift=shift.pk,
        grant=grant.pk,
        reason=reason,
        sections=grant.sections,
        notified=grant.notified,
    )
    if grant.notified:
        context = {
            "learner": shift.learner,
            "shift": shift,
            "patient": patient,
            "grant": grant,
            "reason": REASONS[reason].label,
            "sections": [SECTIONS[s] for s in grant.sections],
        }
        # Inside the transaction, as the nudge does: if the mail server refuses, no access is granted.
        send_mail(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Break-the-glass access by {shift.learner}",
            message=render_to_string("simulations/email/break_glass.txt", context),
            from_email=None,
            recipient_list=grant.notified,
        )
    return grant
