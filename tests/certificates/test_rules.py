from decimal import Decimal

import pytest

from coursesite.certificates.models import CompletionRule, RuleException, SignOff
from coursesite.certificates.rules import completion_rule_met
from coursesite.progress.services import completion_record
from tests.factories import QuestionFactory, make_quiz

pytestmark = pytest.mark.django_db


def complete_all(learner, course, score=None):
    for step in course.get_children().live():
        completion_record(learner=learner, step=step, course=course, score=score)


def test_by_default_every_live_step_must_be_passed(trainee, course):
    first, *_ = course.get_children()
    completion_record(learner=trainee, step=first, course=course)
    met, reasons = completion_rule_met(learner=trainee, course=course)
    assert not met and reasons == ["“Lesson 2” is not passed yet.", "“Lesson 3” is not passed yet."]
    complete_all(trainee, course)
    assert completion_rule_met(learner=trainee, course=course) == (True, [])


def test_a_failed_step_does_not_count_and_an_unpublished_one_is_not_required(trainee, course):
    steps = list(course.get_children())
    for step in steps[:2]:
        completion_record(learner=trainee, step=step, course=course)
    completion_record(learner=trainee, step=steps[2], course=course, passed=False)
    assert not completion_rule_met(learner=trainee, course=course)[0]
    steps[2].unpublish()
    assert completion_rule_met(learner=trainee, course=course) == (True, [])


def test_a_course_without_steps_is_never_met(trainee):
    from tests.factories import make_course

    empty = make_course(lessons=0, slug="empty")
    met, reasons = completion_rule_met(learner=trainee, course=empty)
    assert not met and "no published steps" in reasons[0]


def test_min_score_applies_to_scored_steps_only(trainee, course):
    quiz = make_quiz(course, questions=[QuestionFactory()])
    CompletionRule.objects.create(course=course, min_score=Decimal("85"))
    complete_all(trainee, course)  # lessons have no score
    completion_record(learner=trainee, step=quiz, course=course, score=Decimal("80"))
    met, reasons = completion_rule_met(learner=trainee, course=course)
    assert not met and reasons == ["“Quiz quiz” needs a score of at least 85% (best so far 80%)."]
    completion_record(learner=trainee, step=quiz, course=course, score=Decimal("90"))
    assert completion_rule_met(learner=trainee, course=course) == (True, [])


def test_sign_off_is_required_only_when_the_rule_says_so(trainee, supervisor, course):
    complete_all(trainee, course)
    rule = CompletionRule.objects.create(course=course, require_signoff=True)
    assert completion_rule_met(learner=trainee, course=course) == (False, ["A supervisor has not signed off yet."])
    SignOff.objects.create(learner=trainee, course=course, signed_by=supervisor)
    assert completion_rule_met(learner=trainee, course=course)[0]
    rule.require_signoff = False
    rule.save()
    SignOff.objects.all().delete()
    assert completion_rule_met(learner=trainee, course=course)[0]


def test_an_exception_waives_one_step_for_one_learner(trainee, other_trainee, supervisor, course):
    steps = list(course.get_children())
    for step in steps[:2]:
        completion_record(learner=trainee, step=step, course=course)
        completion_record(learner=other_trainee, step=step, course=course)
    RuleException.objects.create(
        learner=trainee, course=course, step=steps[2], reason="Certified elsewhere", granted_by=supervisor
    )
    assert completion_rule_met(learner=trainee, course=course) == (True, [])
    assert not completion_rule_met(learner=other_trainee, course=course)[0]


def test_the_rule_reads_in_a_bounded_number_of_queries(trainee, django_assert_max_num_queries):
    from tests.factories import make_course

    big = make_course(lessons=25, slug="big")
    complete_all(trainee, big)
    CompletionRule.objects.create(course=big, require_signoff=True)
    with django_assert_max_num_queries(5):
        completion_rule_met(learner=trainee, course=big)
