"""Authored definitions: the office template, scenarios (editable snippets) and the course step."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from coursesite.progress.steps import StepPage


class OfficeTemplate(models.Model):
    """The parsed, validated office (practice, providers, types, payers, patients) from content/office/.

    Stored as validated JSON rather than a dozen tables: it is read whole when a shift starts (one query)
    and each shift keeps its own snapshot of the rules, so editing the template never changes a running
    shift or the grading of a finished one.
    """

    key = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    data = models.JSONField()
    content_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from simulations.office import OfficeError, office_validate

        try:
            office_validate(self.data)
        except OfficeError as exc:
            raise ValidationError({"data": str(exc)}) from exc


class Scenario(models.Model):
    """One shift's task: the brief, inbox, variants and checks, as YAML (see content/scenarios/)."""

    key = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    definition = models.TextField(help_text="The scenario in YAML; it is validated when saved (see content/FORMAT.md).")
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("title"), FieldPanel("key"), FieldPanel("definition")]

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from simulations.scenarios import ScenarioError, scenario_parse

        try:
            parsed = scenario_parse(self.definition)
        except ScenarioError as exc:
            raise ValidationError({"definition": str(exc)}) from exc
        if parsed.key != self.key:
            raise ValidationError({"key": f"The definition's key is {parsed.key!r}; use the same key here."})

    def definition_hash(self) -> str:
        return hashlib.sha256(self.definition.encode()).hexdigest()

    @property
    def parsed(self):
        from simulations.scenarios import scenario_parse

        return scenario_parse(self.definition)


class SimulationPage(StepPage):
    """A course step that sends the learner into the practice office for one scenario."""

    summary = models.TextField(blank=True, help_text="One sentence shown on the course outline.")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="pages")
    pass_mark = models.PositiveSmallIntegerField(default=80, validators=[MaxValueValidator(100)], help_text="Percent.")

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("scenario"), FieldPanel("pass_mark")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["lessons.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "simulation"
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="simulation_pass_mark_is_a_percentage"),
        ]

    def get_context(self, request, *args, **kwargs):
        from simulations.selectors import simulation_intro

        context = super().get_context(request, *args, **kwargs)
        context["intro"] = simulation_intro(page=self, learner=request.user)
        return context

    def serve(self, request, *args, **kwargs):
        from simulations.views import simulation_page_serve

        return simulation_page_serve(self, request, *args, **kwargs)
