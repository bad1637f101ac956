"""The question bank (snippets, frozen into versions), quiz pages, and learners' attempts.

Dependencies run one way: quizzes → coursesite.progress (completion) and lessons (the course page
the quiz lives under). Attempts point at `QuestionVersion`s, so editing a question never changes
what an old attempt showed or how it was graded.
"""

import hashlib
import json

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page
from wagtail.search import index

from coursesite.progress.steps import StepPage

from .routes import QuizRoutes


class QuestionType(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple response"
    TRUEFALSE = "truefalse", "True or false"
    NUMERIC = "numeric", "Numeric"
    SHORTTEXT = "shorttext", "Short text"
    ORDERING = "ordering", "Ordering"
    MATCHING = "matching", "Matching"


class Question(index.Indexed, models.Model):
    key = models.SlugField(max_length=80, unique=True, help_text="Stable id, e.g. cs-call-01. Never reuse one.")
    type = models.CharField(max_length=12, choices=QuestionType.choices)
    course_slug = models.SlugField(max_length=80, help_text="The course whose bank this question belongs to.")
    topic = models.SlugField(max_length=80, help_text="Pool for random draws, e.g. phone-call.")
    lesson_slug = models.SlugField(max_length=80, blank=True, help_text="The lesson this question tests.")
    scenario = models.TextField(blank=True, help_text="Optional case stem (Markdown) shown above the question.")
    text = models.TextField(help_text="The question (Markdown).")
    data = models.JSONField(
        default=dict,
        help_text="Type-specific: options [{id, text, correct, feedback}], answer/tolerance/unit, accepted, items, pairs.",
    )
    feedback = models.TextField(help_text="General feedback that explains the answer.")
    current_version = models.ForeignKey(
        "quizzes.QuestionVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    panels = [
        FieldPanel("key"),
        FieldPanel("type"),
        MultiFieldPanel([FieldPanel("course_slug"), FieldPanel("topic"), FieldPanel("lesson_slug")], heading="Where"),
        FieldPanel("scenario"),
        FieldPanel("text"),
        FieldPanel("data"),
        FieldPanel("feedback"),
    ]
    search_fields = [index.SearchField("key"), index.SearchField("text"), index.FilterField("topic")]

    class Meta:
        ordering = ["key"]
        indexes = [models.Index(fields=["course_slug", "topic"])]

    def __str__(self) -> str:
        return self.key

    def frozen_content(self) -> dict:
        """Everything an attempt needs to show and grade this question, as plain JSON."""
        data = dict(self.data)
        if "options" in data:
            # Option ids let answers survive reordering and shuffling; fill any an editor left out.
            data["options"] = [{"id": f"o{n}", **option} for n, option in enumerate(data["options"])]
        return {
            "key": self.key,
            "type": self.type,
            "topic": self.topic,
            "lesson_slug": self.lesson_slug,
            "scenario": self.scenario,
            "text": self.text,
            "data": data,
            "feedback": self.feedback,
        }

    def content_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.frozen_content(), sort_keys=True).encode()).hexdigest()


class QuestionVersion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="one_question_version_number")]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


class QuizPage(QuizRoutes, RoutablePageMixin, StepPage):
    class Counts(models.TextChoices):
        HIGHEST = "highest", "Highest attempt"
        LAST = "last", "Last attempt"

    class Review(models.TextChoices):
        SCORE = "score", "Score only"
        FULL = "full", "Score, right answers and feedback"
        # Right answers shown while attempts remain would let a failed trainee copy them into the next.
        FULL_WHEN_DONE = "done", "Score now; right answers and feedback once passed or out of attempts"

    summary = models.TextField(blank=True, help_text="One sentence shown on the course outline.")
    pass_mark = models.PositiveSmallIntegerField(default=80, validators=[MaxValueValidator(100)], help_text="Percent.")
    attempts_allowed = models.PositiveSmallIntegerField(default=3, help_text="0 means unlimited.")
    time_limit_minutes = models.PositiveSmallIntegerField(default=0, help_text="0 means no time limit.")
    retry_delay_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="Minutes a trainee must wait after submitting before the next attempt (0: none)."
    )
    fixed_questions = models.JSONField(default=list, blank=True, help_text="Question keys asked every attempt.")
    draws = models.JSONField(
        default=list, blank=True, help_text='Random draws: [{"topics": ["phone-call"], "count": 3}].'
    )
    shuffle_questions = models.BooleanField(default=True)
    shuffle_options = models.BooleanField(default=True)
    attempt_counts = models.CharField(max_length=8, choices=Counts.choices, default=Counts.HIGHEST)
    review = models.CharField(max_length=8, choices=Review.choices, default=Review.FULL)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("retry_delay_minutes"),
            ],
            heading="Rules",
        ),
        MultiFieldPanel(
            [
                FieldPanel("fixed_questions"),
                FieldPanel("draws"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_options"),
            ],
            heading="Questions",
        ),
        MultiFieldPanel([FieldPanel("attempt_counts"), FieldPanel("review")], heading="Results"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["lessons.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "quiz"
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_is_a_percentage"),
        ]


class Attempt(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    seed = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    passed = models.BooleanField(null=True)
    # What was asked, frozen at the start: [{"version": id, "options": [ids in shown order]}] per position.
    layout = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "quiz", "number"], name="one_attempt_number_per_learner_quiz"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="attempt_score_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(score__isnull=False), name="submitted_attempt_has_a_score"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.quiz_id} · attempt {self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def time_limit_minutes(self) -> int:
        """This attempt's own limit, accommodations included (0: none)."""
        return round((self.deadline - self.started_at).total_seconds() / 60) if self.deadline else 0


class Response(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    question_version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="responses")
    answer = models.JSONField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    fraction = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="one_response_per_attempt_position"),
            models.CheckConstraint(
                condition=Q(fraction__isnull=True) | (Q(fraction__gte=0) & Q(fraction__lte=1)),
                name="response_fraction_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position}"


class QuizAccommodation(models.Model):
    """Extra attempts and time a supervisor grants one trainee, at one quiz or (quiz empty) at every quiz.

    Extras add up: an all-quizzes grant and a grant for this quiz both count. Written only by
    `quizzes.services.accommodation_grant`; read by `quizzes.selectors.attempt_allowance`.
    """

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_accommodations")
    quiz = models.ForeignKey(
        QuizPage, on_delete=models.CASCADE, null=True, blank=True, related_name="accommodations",
        help_text="Empty: every quiz.",
    )  # fmt: skip
    extra_attempts = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(20)])
    extra_minutes = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(600)])
    reason = models.CharField(max_length=300, help_text="Why, for the record (no medical details).")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "quiz"], condition=Q(quiz__isnull=False), name="one_accommodation_per_learner_quiz"
            ),
            models.UniqueConstraint(
                fields=["learner"], condition=Q(quiz__isnull=True), name="one_all_quizzes_accommodation_per_learner"
            ),
            models.CheckConstraint(
                condition=Q(extra_attempts__lte=20) & Q(extra_minutes__lte=600), name="accommodation_extras_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.quiz_id or 'all quizzes'}"
