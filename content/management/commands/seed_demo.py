import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from coursesite.people.models import Assignment, AssignmentOverride, Cohort, Membership, User
from coursesite.progress.services import completion_record
from lessons.models import CoursePage, LessonPage
from lessons.selectors import course_steps
from quizzes.models import Attempt, QuestionVersion, QuizPage
from quizzes.services import attempt_start, attempt_submit, public_choice_ids
from simulations.call_services import call_session_start
from simulations.models import CallPage, CallSession, Shift, SimulationPage
from simulations.services import shift_start, shift_submit
from simulations.solutions import SOLUTIONS, call_work_ideal

DEMO_PASSWORD = "frontdesk-demo-2026"
DEMO_KEY = "DEMO2026KEY"

# (email, name, role, how far through the first course they are)
DEMO_USERS = [
    ("trainee@demo.test", "Taylor Trainee", User.Role.TRAINEE, 0),
    ("trainee.halfway@demo.test", "Harper Halfway", User.Role.TRAINEE, 3),
    ("trainee.finished@demo.test", "Finley Finished", User.Role.TRAINEE, None),  # every step, quizzes too
    ("supervisor@demo.test", "Sam Supervisor", User.Role.SUPERVISOR, 0),
    ("editor@demo.test", "Eddie Editor", User.Role.EDITOR, 0),
    ("admin@demo.test", "Ada Administrator", User.Role.ADMIN, 0),
]


class Command(BaseCommand):
    help = "Create the demo cohort and demo accounts (idempotent: existing accounts are left as they are)."

    @transaction.atomic
    def handle(self, *args, **options):
        cohort, _ = Cohort.objects.get_or_create(
            enrolment_key=DEMO_KEY, defaults={"name": "Demo class", "organisation": "Riverside Vocational School"}
        )
        editors = Group.objects.filter(name="Editors").first()
        for email, name, role, progress in DEMO_USERS:
            user, created = User.objects.get_or_create(email=email, defaults={"display_name": name, "role": role})
            if created:
                user.set_password(DEMO_PASSWORD)
                if role == User.Role.ADMIN:
                    user.is_staff = user.is_superuser = True
                user.save()
                EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
                if role == User.Role.EDITOR and editors is not None:
                    user.groups.add(editors)
                if role in (User.Role.TRAINEE, User.Role.SUPERVISOR):
                    member_role = (
                        Membership.Role.SUPERVISOR if role == User.Role.SUPERVISOR else Membership.Role.TRAINEE
                    )
                    Membership.objects.get_or_create(cohort=cohort, user=user, defaults={"role": member_role})
                if progress != 0:
                    self._progress(user, progress)
        self._assign_courses(cohort)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
        for email, _name, role, _ in DEMO_USERS:
            self.stdout.write(f"  {email:<30} {role.label}")
        self.stdout.write(f"Demo cohort enrolment key: {DEMO_KEY}")

    def _progress(self, user: User, steps: int | None) -> None:
        """Read the first `steps` lessons of Customer Service; None: read every lesson, pass every quiz,
        work every office shift and answer every phone call for real, through the same services the screens
        use."""
        course = _demo_course()
        if course is None:
            return
        steps_in_order = course_steps(course)
        lessons = [step for step in steps_in_order if isinstance(step, LessonPage)]
        for lesson in lessons if steps is None else lessons[:steps]:
            completion_record(
                learner=user, step=lesson, course=course, seconds=lesson.estimated_minutes * 60, seconds_keep="max"
            )
        if steps:
            # Part-way trainees have had a first, hasty go at the office: the shift submitted without the
            # work and the call answered with the first non-model reply, so the supervisor's office charts
            # show a spread rather than only the finished trainee's full marks.
            for step in steps_in_order:
                if isinstance(step, SimulationPage) and not Shift.objects.filter(learner=user, page=step).exists():
                    shift_submit(shift=shift_start(learner=user, page=step, seed=f"demo-{user.pk}"))
                elif isinstance(step, CallPage) and not CallSession.objects.filter(learner=user, page=step).exists():
                    _call_work_hastily(call_session_start(learner=user, page=step))
        if steps is None:
            for step in steps_in_order:
                if isinstance(step, QuizPage) and not Attempt.objects.filter(learner=user, quiz=step).exists():
                    attempt = attempt_start(quiz=step, learner=user)
                    attempt_submit(attempt=attempt, answers=_right_answers(attempt))
                elif isinstance(step, SimulationPage) and not Shift.objects.filter(learner=user, page=step).exists():
                    shift = shift_start(learner=user, page=step, seed=f"demo-{user.pk}")
                    SOLUTIONS[step.scenario.key](shift)
                    shift_submit(shift=shift)
                elif isinstance(step, CallPage) and not CallSession.objects.filter(learner=user, page=step).exists():
                    call_work_ideal(call_session_start(learner=user, page=step))

    def _assign_courses(self, cohort: Cohort) -> None:
        """Assign every course with a due date: the first one was due last week, so Harper (halfway) is
        overdue, Finley finished in time and Taylor, who joined late, has a personal date next month.
        Existing assignments and dates are left as they are (re-running changes nothing)."""
        today = timezone.localdate()
        supervisor = User.objects.filter(email="supervisor@demo.test").first()
        demo = _demo_course()
        courses = sorted(CoursePage.objects.live().order_by("path"), key=lambda course: course != demo)
        for number, course in enumerate(courses):
            due_on = today - datetime.timedelta(days=7) if number == 0 else today + datetime.timedelta(days=30 * number)
            Assignment.objects.get_or_create(
                cohort=cohort, course=course, defaults={"due_on": due_on, "assigned_by": supervisor}
            )
        first = Assignment.objects.filter(cohort=cohort, course__in=courses[:1]).first()
        taylor = User.objects.filter(email="trainee@demo.test").first()
        if first is not None and taylor is not None:
            AssignmentOverride.objects.get_or_create(
                assignment=first,
                learner=taylor,
                defaults={
                    "due_on": today + datetime.timedelta(days=21),
                    "reason": "Joined the class late",
                    "granted_by": supervisor,
                },
            )


def _call_work_hastily(session: CallSession) -> CallSession:
    """Answer a call with the first acceptable-or-poor (never critical) reply at each node, through the
    call screen's own service, then finish it."""
    from simulations import call_services
    from simulations.calls import Quality, ideal_path
    from simulations.calls_registry import call_definition

    definition = call_definition(session.call_id)
    _choices, notes = ideal_path(definition, session.variant or None)
    while True:
        transcript = call_services.call_transcript(session=session, definition=definition)
        if transcript.finished:
            return call_services.call_session_finish(session=session)
        node = definition.nodes[transcript.current_node]
        step = len(transcript.turns) + 1
        if node.note is not None:
            note = notes.get(node.id, "Spoke with the caller; will follow up.")
            session = call_services.call_session_choose(session=session, step=step, note=note)
            continue
        hasty = [c for c in node.choices if c.quality in (Quality.ACCEPTABLE, Quality.POOR)]
        choice = (hasty or [c for c in node.choices if c.quality != Quality.CRITICAL] or list(node.choices))[0]
        session = call_services.call_session_choose(session=session, step=step, choice_id=choice.id)


def _demo_course() -> CoursePage | None:
    """The course the demo trainees are part-way through: Customer Service when it is loaded."""
    live = CoursePage.objects.live()
    return live.filter(slug="customer-service").first() or live.order_by("path").first()


def _right_answers(attempt: Attempt) -> dict[int, object]:
    """The right answer to every question of an attempt, in the form the attempt page submits."""
    answers: dict[int, object] = {}
    for position, entry in enumerate(attempt.layout, start=1):
        content = QuestionVersion.objects.get(pk=entry["version"]).content
        data, kind = content["data"], content["type"]
        token = dict(zip(entry["order"], public_choice_ids(entry), strict=True))
        if kind == "single":
            answers[position] = next(o["id"] for o in data["options"] if o["correct"])
        elif kind == "multiple":
            answers[position] = [o["id"] for o in data["options"] if o["correct"]]
        elif kind == "truefalse":
            answers[position] = "true" if data["answer"] else "false"
        elif kind == "numeric":
            answers[position] = str(data["answer"])
        elif kind == "shorttext":
            answers[position] = str(data["accepted"][0])
        else:  # ordering and matching: the n-th slot takes item/answer n
            prefix = "i" if kind == "ordering" else "m"
            answers[position] = [token[f"{prefix}{n}"] for n in range(len(entry["order"]))]
    return answers
