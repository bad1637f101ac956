import datetime
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coursesite.certificates.services import certificate_issue, certificate_revoke
from coursesite.people.models import Membership
from coursesite.progress.services import completion_record
from coursesite.reports.models import LearnerCourseSummary
from coursesite.reports.selectors import organisation_summary
from coursesite.reports.summaries import learner_course_summaries_rebuild
from tests.factories import AssignmentFactory, AssignmentOverrideFactory, CohortFactory, MembershipFactory, make_course

from .conftest import add_trainees, complete, steps_of


def _summary(learner, course):
    return LearnerCourseSummary.objects.get(learner=learner, course=course)


def test_recording_a_completion_updates_the_learners_summary_once_committed(
    cohort, quiz_course, django_capture_on_commit_callbacks
):
    (ann,) = add_trainees(cohort, 1)
    lesson1, lesson2, quiz = steps_of(quiz_course)
    with django_capture_on_commit_callbacks(execute=True):
        completion_record(learner=ann, step=lesson1, course=quiz_course)
        completion_record(learner=ann, step=quiz, course=quiz_course, passed=False, score=Decimal("40"))
    summary = _summary(ann, quiz_course)
    assert (summary.steps_started, summary.steps_passed, summary.average_score) == (2, 1, Decimal("40.00"))
    assert summary.last_activity_at is not None and summary.certified_at is None
    with django_capture_on_commit_callbacks(execute=True):
        completion_record(learner=ann, step=quiz, course=quiz_course, passed=True, score=Decimal("90"))
    assert (_summary(ann, quiz_course).steps_passed, _summary(ann, quiz_course).average_score) == (2, Decimal("90.00"))


def test_a_rolled_back_completion_leaves_the_summary_alone(cohort, quiz_course, django_capture_on_commit_callbacks):
    (ann,) = add_trainees(cohort, 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        completion_record(learner=ann, step=steps_of(quiz_course)[0], course=quiz_course)
    # The callbacks never ran (as after a rollback): nothing summarised.
    assert callbacks and not LearnerCourseSummary.objects.exists()


def test_issuing_and_revoking_a_certificate_updates_the_summary(cohort, supervisor, django_capture_on_commit_callbacks):
    course = make_course(lessons=2, slug="cert-course")
    (ann,) = add_trainees(cohort, 1)
    with django_capture_on_commit_callbacks(execute=True):
        for step in steps_of(course):
            completion_record(learner=ann, step=step, course=course)
    # The immediate task backend issued the certificate when the last step was passed.
    summary = _summary(ann, course)
    assert summary.steps_passed == 2 and summary.certified_at is not None
    certificate = certificate_issue(learner=ann, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, actor=supervisor, reason="Issued in error")
    assert _summary(ann, course).certified_at is None


def test_the_rebuild_command_recomputes_what_the_listeners_keep(cohort, quiz_course, yesterday):
    ann, bob, _cat = add_trainees(cohort, 3)
    lesson1, _lesson2, quiz = steps_of(quiz_course)
    complete(ann, lesson1, quiz_course)
    complete(ann, quiz, quiz_course, passed=False, score="55.50")
    complete(bob, quiz, quiz_course, score="100.00")
    # Rows written without the service (bulk imports, restores) are not summarised until rebuilt.
    assert not LearnerCourseSummary.objects.exists()
    call_command("rebuild_learner_summaries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (_summary(ann, quiz_course).steps_started, _summary(ann, quiz_course).steps_passed) == (2, 1)
    assert _summary(ann, quiz_course).average_score == Decimal("55.50")
    assert _summary(bob, quiz_course).steps_passed == 1
    assert LearnerCourseSummary.objects.count() == 2  # Cat has nothing to summarise
    # Unpublishing a step and rebuilding one course drops it from the counts.
    quiz.unpublish()
    assert learner_course_summaries_rebuild(course_ids=[quiz_course.pk]) == 1
    assert _summary(ann, quiz_course).steps_passed == 1 and not LearnerCourseSummary.objects.filter(learner=bob)


def test_the_summary_counts_stages_overdue_and_own_due_dates_per_cohort_and_course(
    cohort, supervisor, quiz_course, yesterday, next_month
):
    ann, bob, cat, dan = add_trainees(cohort, 4)
    assignment = AssignmentFactory(cohort=cohort, course=quiz_course, due_on=yesterday)
    AssignmentOverrideFactory(assignment=assignment, learner=dan, due_on=next_month)
    steps = steps_of(quiz_course)
    for step in steps:
        complete(ann, step, quiz_course, score="90.00" if step == steps[2] else None)
    complete(bob, steps[0], quiz_course)
    complete(dan, steps[0], quiz_course)
    learner_course_summaries_rebuild()
    summary = organisation_summary(user=supervisor)
    (line,) = summary.lines
    assert (line.trainees, line.completed, line.started, line.not_started, line.in_progress) == (4, 1, 3, 1, 2)
    # Bob and Cat are late; Dan has until next month; Ann is done.
    assert line.overdue == 2 and summary.overdue_count == 2
    assert line.average_progress == 42  # (3 + 1 + 0 + 1) of 4 × 3 steps
    assert summary.trainee_count == 4 and summary.courses[0].completed == 1


def test_an_own_due_date_in_the_past_makes_a_trainee_overdue_before_the_cohort(
    cohort, supervisor, quiz_course, yesterday, next_month
):
    ann, _bob = add_trainees(cohort, 2)
    assignment = AssignmentFactory(cohort=cohort, course=quiz_course, due_on=next_month)
    AssignmentOverrideFactory(assignment=assignment, learner=ann, due_on=yesterday)
    (line,) = organisation_summary(user=supervisor).lines
    assert line.overdue == 1


def test_a_supervisor_sees_only_their_cohorts_and_an_administrator_sees_all(
    cohort, other_cohort, supervisor, admin_user, quiz_course, next_month
):
    add_trainees(cohort, 2, prefix="a")
    add_trainees(other_cohort, 3, prefix="b")
    for each in (cohort, other_cohort):
        AssignmentFactory(cohort=each, course=quiz_course, due_on=next_month)
    assert [line.cohort for line in organisation_summary(user=supervisor).lines] == [cohort]
    everything = organisation_summary(user=admin_user)
    assert {line.cohort for line in everything.lines} == {cohort, other_cohort}
    assert everything.trainee_count == 5 and everything.courses[0].trainees == 5


def test_a_trainee_in_two_cohorts_counts_once_across_the_organisation(cohort, other_cohort, admin_user, quiz_course):
    (ann,) = add_trainees(cohort, 1)
    Membership.objects.create(cohort=other_cohort, user=ann)
    for each in (cohort, other_cohort):
        AssignmentFactory(cohort=each, course=quiz_course)
    for step in steps_of(quiz_course):
        complete(ann, step, quiz_course)
    learner_course_summaries_rebuild()
    summary = organisation_summary(user=admin_user)
    assert [line.completed for line in summary.lines] == [1, 1]
    assert summary.trainee_count == 1 and summary.courses[0].trainees == 1 and summary.courses[0].completed == 1


def _seed_cohort(supervisor, course, count: int, prefix: str):
    cohort = CohortFactory()
    MembershipFactory(cohort=cohort, user=supervisor, role=Membership.Role.SUPERVISOR)
    trainees = add_trainees(cohort, count, prefix=prefix)
    assignment = AssignmentFactory(cohort=cohort, course=course, due_on=timezone.localdate() - datetime.timedelta(1))
    AssignmentOverrideFactory(assignment=assignment, learner=trainees[0])
    for n, trainee in enumerate(trainees):
        for step in steps_of(course)[: n % 4]:
            complete(trainee, step, course)
    return cohort


def test_the_summary_page_runs_the_same_queries_for_5_or_50_trainees(
    client, supervisor, other_supervisor, quiz_course, django_assert_max_num_queries
):
    _seed_cohort(supervisor, quiz_course, 5, "s")
    _seed_cohort(other_supervisor, quiz_course, 50, "b")
    learner_course_summaries_rebuild()
    for user in (supervisor, other_supervisor):
        client.force_login(user)
        # Session, user, MFA check; cohorts, assignments, live steps, grouped summary, overrides, their
        # summaries, per course, assigned trainees, distinct trainees; session save.
        with django_assert_max_num_queries(16):
            response = client.get(reverse("organisation_summary"))
        assert response.status_code == 200
    page = response.content.decode()
    assert '<caption class="visually-hidden">Each cohort and assigned course' in page
    assert "<dt>Trainees</dt><dd>50</dd>" in page


def test_the_summary_page_is_linked_from_my_cohorts(client, supervisor):
    client.force_login(supervisor)
    assert reverse("organisation_summary") in client.get(reverse("my_cohorts")).content.decode()


def test_unpublishing_a_step_rebuilds_that_courses_summaries(cohort, quiz_course, django_capture_on_commit_callbacks):
    (ann,) = add_trainees(cohort, 1)
    lesson1, lesson2, quiz = steps_of(quiz_course)
    with django_capture_on_commit_callbacks(execute=True):
        completion_record(learner=ann, step=lesson1, course=quiz_course)
        completion_record(learner=ann, step=quiz, course=quiz_course, score=Decimal("85"))
    assert _summary(ann, quiz_course).steps_passed == 2
    with django_capture_on_commit_callbacks(execute=True):
        quiz.specific.unpublish()
    assert _summary(ann, quiz_course).steps_passed == 1
