"""Phone calls as course steps: the step page, a trainee's attempt at the call and its answered steps.

The call itself (nodes, choices, scoring) is authored in content/calls/*.yaml and read through
`simulations.calls`; a page names it by id. A session records only the trainee's answers (one
`CallStep` row per answered node, append-only); the transcript and the score are always recomputed from
the definition, and the score is frozen in `result` when the call is finished.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from coursesite.audit.models import AppendOnlyError
from coursesite.progress.steps import StepPage


class CallPage(StepPage):
    """A course step: one branching phone call from content/calls/, graded per axis."""

    summary = models.TextField(blank=True, help_text="One sentence shown on the course outline.")
    call_id = models.SlugField(max_length=64, help_text="The id of a call in content/calls/ (e.g. t1-angry-bill).")
    pass_mark = models.PositiveSmallIntegerField(default=80, validators=[MaxValueValidator(100)], help_text="Percent.")
    axis_minimums = models.JSONField(
        default=dict,
        blank=True,
        help_text='Optional minimum percent per axis, e.g. {"compliance": 100}. Axes: compliance, accuracy, '
        "service, efficiency.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("call_id"),
        FieldPanel("pass_mark"),
        FieldPanel("axis_minimums"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["lessons.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "phone call"
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="call_pass_mark_is_a_percentage"),
        ]

    def clean(self):
        super().clean()
        from simulations.calls import Axis
        from simulations.calls_registry import call_definition

        if call_definition(self.call_id) is None:
            raise ValidationError({"call_id": f"There is no call {self.call_id!r} in content/calls/."})
        minimums = self.axis_minimums or {}
        if not isinstance(minimums, dict) or any(
            axis not in Axis.__members__.values() or not isinstance(value, int | float) or not 0 <= value <= 100
            for axis, value in minimums.items()
        ):
            raise ValidationError({"axis_minimums": "Give a mapping of axis name to a percentage (0-100)."})

    def get_context(self, request, *args, **kwargs):
        from simulations.call_selectors import call_page_intro

        context = super().get_context(request, *args, **kwargs)
        context["intro"] = call_page_intro(page=self, learner=request.user)
        return context

    def serve(self, request, *args, **kwargs):
        from simulations.call_views import call_page_serve

        return call_page_serve(self, request, *args, **kwargs)


class CallSessionQuerySet(models.QuerySet):
    def for_learner(self, learner) -> "CallSessionQuerySet":
        return self.filter(learner=learner)


class CallSession(models.Model):
    """One attempt of a learner at a call step."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_sessions")
    page = models.ForeignKey(CallPage, on_delete=models.CASCADE, related_name="sessions")
    call_id = models.SlugField(max_length=64)
    variant = models.CharField(max_length=64, blank=True)
    number = models.PositiveSmallIntegerField()
    # Mirrors of the CallStep rows, in order: the choice ids, and note text by note-node id.
    choices = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)

    objects = CallSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "page"],
                condition=Q(submitted_at__isnull=True),
                name="one_open_call_per_learner_step",
            ),
            models.UniqueConstraint(fields=["learner", "page", "number"], name="call_session_number_unique_per_step"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="call_score_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(result__isnull=False), name="submitted_call_has_a_result"
            ),
        ]

    def __str__(self) -> str:
        return f"Call {self.call_id} #{self.number} by {self.learner}"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


class CallStepQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("A call's answers cannot be changed.")

    def delete(self):
        raise AppendOnlyError("A call's answers cannot be deleted.")


class CallStep(models.Model):
    """One answer at one node (a choice, or a note), append-only: what the trainee said, in order."""

    session = models.ForeignKey(CallSession, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(help_text="1 for the first answer of the call.")
    node_id = models.CharField(max_length=64)
    choice_id = models.CharField(max_length=64, blank=True)
    note = models.TextField(blank=True)
    answered_at = models.DateTimeField()

    objects = CallStepQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="call_step_number_unique_per_session"),
            models.UniqueConstraint(fields=["session", "node_id"], name="call_step_one_answer_per_node"),
            models.CheckConstraint(condition=~Q(choice_id="") | ~Q(note=""), name="call_step_is_a_choice_or_a_note"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.node_id}: {self.choice_id or 'note'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("A call's answers cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("A call's answers cannot be deleted.")
