"""Reads for phone-call steps. A session is read through its learner (others' ids are a 404) or through
a supervisor of the learner's cohort (others' ids are a 404 too, never a hint that they exist)."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from coursesite.people.models import Membership

from .calls import CallDefinition, Prompt, Transcript, call_prompt, call_walk
from .calls_registry import call_definition, session_call_definition
from .models import CallPage, CallSession


def call_session_for_learner(*, learner, session_id: int) -> CallSession:
    return get_object_or_404(CallSession.objects.for_learner(learner).select_related("page"), pk=session_id)


def call_session_for_supervisor(*, user, session_id: int) -> CallSession:
    """A session of a trainee in one of the supervisor's cohorts, or 404 (superusers see all)."""
    sessions = CallSession.objects.select_related("page", "learner")
    if not user.is_superuser:
        cohorts = Membership.objects.filter(user=user, role=Membership.Role.SUPERVISOR).values("cohort")
        trainees = Membership.objects.filter(cohort__in=cohorts, role=Membership.Role.TRAINEE).values("user")
        sessions = sessions.filter(learner__in=trainees)
    return get_object_or_404(sessions, pk=session_id)


@dataclass(frozen=True)
class CallIntro:
    sessions: list[CallSession]
    open_session: CallSession | None
    definition: CallDefinition | None


def call_page_intro(*, page: CallPage, learner) -> CallIntro:
    definition = call_definition(page.call_id)
    if not learner.is_authenticated:
        return CallIntro(sessions=[], open_session=None, definition=definition)
    sessions = list(CallSession.objects.filter(page=page, learner=learner).order_by("-number"))
    return CallIntro(
        sessions=sessions, open_session=next((s for s in sessions if s.is_open), None), definition=definition
    )


@dataclass(frozen=True)
class CallView:
    definition: CallDefinition
    transcript: Transcript
    prompt: Prompt | None  # None once the call has ended
    step: int  # the number of the answer the form records

    @property
    def speaker(self) -> str:
        return self.prompt.speaker if self.prompt else ""


def call_view(*, session: CallSession) -> CallView | None:
    """The transcript so far and the node waiting for an answer (choices shuffled per session, stable on
    reload), from the session's snapshot of the call; None when it has none and the call is no longer
    shipped. No queries."""
    definition = session_call_definition(session)
    if definition is None:
        return None
    transcript = call_walk(definition, session.choices, notes=session.notes, variant=session.variant or None)
    prompt = call_prompt(definition, transcript, seed=session.pk)
    return CallView(definition=definition, transcript=transcript, prompt=prompt, step=len(transcript.turns) + 1)
