"""A factory per model (factory_boy); pages are built through Wagtail's tree API."""

import factory
from allauth.account.models import EmailAddress
from wagtail.models import Locale, Page, Site

from coursesite.people.models import Cohort, Membership, User
from lessons.models import CourseIndexPage, CoursePage, LessonPage
from quizzes.models import Question, QuizPage

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    display_name = factory.Faker("name")
    role = User.Role.TRAINEE

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_mfa(user: User) -> User:
    """Give a staff user a real TOTP authenticator (secret TOTP_SECRET) so the MFA gate lets them through."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)
    return user


def current_totp_code() -> str:
    """The authenticator code for TOTP_SECRET now, never one about to expire (allauth has no tolerance)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)

    return format_hotp_value(hotp_value(TOTP_SECRET, next(yield_hotp_counters_from_time())))


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    organisation = "Riverside Vocational School"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.TRAINEE


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        root = Page.get_first_root_node()
        if root is None:  # a transactional test flushed the tree that Wagtail's migrations made
            Locale.objects.get_or_create(language_code="en")
            root = Page.add_root(instance=Page(title="Root", slug="root"))
        index = root.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
        Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": index})
    return index


LESSON_BODY = [
    {"type": "heading", "value": {"text": "Verifying the caller", "level": "h2"}},
    {"type": "text", "value": "<p>Ask for two identifiers before you say anything about the patient.</p>"},
    {"type": "key_terms", "value": [{"term": "PHI", "definition": "Protected health information."}]},
    {
        "type": "citation",
        "value": {"reference": "45 CFR 164.514(h)", "title": "", "summary": "Verify identity.", "url": ""},
    },
]


def make_course(*, lessons: int = 3, slug: str = "test-course", sequential: bool = True) -> CoursePage:
    course = course_index().add_child(
        instance=CoursePage(title=f"Course {slug}", slug=slug, summary="A course.", sequential=sequential)
    )
    for number in range(1, lessons + 1):
        course.add_child(
            instance=LessonPage(
                title=f"Lesson {number}", slug=f"lesson-{number}", summary=f"Lesson {number}.", body=LESSON_BODY
            )
        )
    return course


QUESTION_DATA = {
    "single": {
        "options": [
            {"text": "Ask for two identifiers", "correct": True, "feedback": "SECRET-RIGHT-FEEDBACK"},
            {"text": "Read out the results", "correct": False, "feedback": "SECRET-WRONG-FEEDBACK"},
        ]
    },
    "multiple": {
        "options": [
            {"text": "Full name", "correct": True, "feedback": ""},
            {"text": "Date of birth", "correct": True, "feedback": ""},
            {"text": "Favourite colour", "correct": False, "feedback": ""},
        ]
    },
    "truefalse": {"answer": False},
    "numeric": {"answer": "35.00", "tolerance": "0.00", "unit": "$"},
    "shorttext": {"accepted": ["CO-45", "CO 45"]},
    "ordering": {"items": ["Greet", "Listen", "Verify"]},
    "matching": {"pairs": [{"prompt": "PR-1", "answer": "Deductible"}, {"prompt": "OA-23", "answer": "Contract"}]},
}


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    key = factory.Sequence(lambda n: f"q-{n:04d}")
    type = "single"
    course_slug = "test-course"
    topic = "phone-call"
    text = factory.Sequence(lambda n: f"Question text {n}?")
    data = factory.LazyAttribute(lambda q: QUESTION_DATA[q.type])
    feedback = "SECRET-GENERAL-FEEDBACK"


def make_quiz(course: CoursePage, *, questions: list[Question], slug: str = "quiz", **fields) -> QuizPage:
    """A published quiz page at the end of `course`, asking `questions` in order."""
    defaults = {"pass_mark": 80, "attempts_allowed": 3, "shuffle_questions": False, "shuffle_options": False}
    quiz = QuizPage(
        title=f"Quiz {slug}", slug=slug, fixed_questions=[q.key for q in questions], **{**defaults, **fields}
    )
    course.add_child(instance=quiz)
    return quiz


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate row as the issuing service would write it (use the service to test issuing itself)."""

    class Meta:
        model = "certificates.Certificate"

    learner = factory.SubFactory(UserFactory)
    course = None
    learner_name = factory.LazyAttribute(lambda c: c.learner.display_name)
    course_title = factory.LazyAttribute(lambda c: c.course.title if c.course else "A course")
    hours = 2
    issuer = "Front Desk Academy"
    signatory_title = "Director of Training"
    evidence = factory.LazyFunction(lambda: {"rule": {"all_live_steps_passed": True}, "steps": []})


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Assignment"

    cohort = factory.SubFactory(CohortFactory)
    due_on = factory.Faker("date_between", start_date="+7d", end_date="+60d")


class AssignmentOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.AssignmentOverride"

    due_on = factory.Faker("date_between", start_date="+7d", end_date="+60d")
    reason = "Joined the class late"


class SupervisorCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.SupervisorComment"

    body = factory.Faker("sentence")


def load_office():
    """The shipped office template and scenarios, loaded as `load_content` does (idempotent)."""
    from pathlib import Path

    from content.loader.office import parse_office_content, write_office_content
    from content.loader.write import LoadReport

    write_office_content(parse_office_content(Path(__file__).resolve().parents[1] / "content"), LoadReport())


def make_simulation(course: CoursePage, *, scenario: str = "s2-follow-up-two-weeks", slug: str = "office", **fields):
    """A published simulation step at the end of `course` (loads the office first)."""
    from simulations.models import Scenario, SimulationPage

    load_office()
    page = SimulationPage(
        title=f"Office {slug}", slug=slug, scenario=Scenario.objects.get(key=scenario), **{"pass_mark": 80, **fields}
    )
    course.add_child(instance=page)
    return page


def make_call_page(course: CoursePage, *, call_id: str = "t1-angry-bill", slug: str = "call", **fields):
    """A published phone-call step at the end of `course`."""
    from simulations.models import CallPage

    page = CallPage(title=f"Call {slug}", slug=slug, call_id=call_id, **{"pass_mark": 80, **fields})
    course.add_child(instance=page)
    return page


def seed_for_variant(scenario_key: str, variant: int) -> str:
    """A seed whose shift draws the given variant of the scenario (seeds are tried in a fixed order)."""
    from simulations.models import OfficeTemplate, Scenario
    from simulations.office import office_rules
    from simulations.scenarios import scenario_render

    template = OfficeTemplate.objects.get()
    definition = Scenario.objects.get(key=scenario_key).parsed
    patients = {p["key"]: p for p in template.data["patients"]}
    rules = office_rules(template.data)
    for number in range(200):
        seed = f"seed-{number}"
        if scenario_render(definition, seed=seed, patients=patients, rules=rules)["variant"] == variant:
            return seed
    raise AssertionError(f"no seed draws variant {variant}")


def make_image(*, title: str = "Logo", size: tuple[int, int] = (240, 80), colour: str = "#0b5c75"):
    """A Wagtail image (a small PNG) in the test storage."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(BytesIO(buffer.getvalue()), name=f"{title.lower()}.png"))
