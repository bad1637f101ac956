"""Wagtail pages: the course catalogue, a course, and its lesson steps."""

from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from coursesite.progress.steps import StepPage

from . import selectors
from .blocks import LessonStreamBlock


class CourseIndexPage(Page):
    """The catalogue of courses (the site's page-tree root, served at /courses/)."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = Page.search_fields
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lessons.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = "course catalogue"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = selectors.course_cards(learner=request.user)
        return context


class CoursePage(RoutablePageMixin, Page):
    summary = models.TextField(help_text="One or two sentences for the course card.")
    audience = models.TextField(blank=True, help_text="Who the course is for.")
    objectives = models.TextField(blank=True, help_text="Learning objectives, one per line.")
    estimated_hours = models.DecimalField(max_digits=5, decimal_places=1, default=1)
    sequential = models.BooleanField(default=True, help_text="Steps must be taken in order.")
    certificate_valid_months = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
        help_text="How long a certificate stays valid; 0 means it does not expire. HIPAA training is usually renewed yearly (12).",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [FieldPanel("estimated_hours"), FieldPanel("sequential"), FieldPanel("certificate_valid_months")],
            heading="Completion",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("objectives")]
    parent_page_types = ["lessons.CourseIndexPage"]
    subpage_types = ["lessons.LessonPage", "quizzes.QuizPage", "simulations.SimulationPage", "simulations.CallPage"]

    class Meta:
        verbose_name = "course"

    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    @path("")
    def outline(self, request):
        outline = selectors.course_outline(course=self, learner=request.user)
        return self.render(request, context_overrides={"outline": outline})

    @path("glossary/")
    def glossary(self, request):
        terms = selectors.course_glossary(course=self)
        return TemplateResponse(request, "lessons/glossary.html", {"page": self, "terms": terms})


class LessonPage(RoutablePageMixin, StepPage):
    summary = models.TextField(help_text="One sentence shown on the course outline.")
    estimated_minutes = models.PositiveSmallIntegerField(default=15)
    body = StreamField(LessonStreamBlock())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["lessons.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "lesson"

    def _require_learner(self, request):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        return None

    @path("")
    def read(self, request):
        if (response := self._require_learner(request)) is not None:
            return response
        step = selectors.lesson_step_state(lesson=self, learner=request.user)
        if step.locked and not request.user.is_editor:
            raise PermissionDenied(step.lock_reason)
        return self.render(request, context_overrides={"step": step})

    @path("print/")
    def print_view(self, request):
        if (response := self._require_learner(request)) is not None:
            return response
        return TemplateResponse(request, "lessons/lesson_print.html", {"page": self})

    @path("complete/")
    def complete(self, request):
        from .services import lesson_complete

        if (response := self._require_learner(request)) is not None:
            return response
        if request.method != "POST":
            return redirect(self.url)
        if selectors.lesson_step_state(lesson=self, learner=request.user).locked:
            raise PermissionDenied("Finish the earlier steps of this course first.")
        lesson_complete(lesson=self, learner=request.user, request=request)
        return redirect(selectors.next_step_url(lesson=self, learner=request.user) or self.get_parent().url)
