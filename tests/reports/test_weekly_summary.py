import io

from django.core import mail
from django.core.management import call_command

from coursesite.audit.models import AuditEvent
from coursesite.people.models import Assignment
from coursesite.reports.tasks import weekly_summary_send

from .conftest import add_trainees, complete, steps_of


def test_each_supervisor_gets_a_summary_of_their_own_cohorts(
    supervisor, other_supervisor, cohort, other_cohort, trainee, quiz_course, yesterday
):
    late, done = add_trainees(cohort, 2)
    for step in steps_of(quiz_course):
        complete(done, step, quiz_course, score="88.00" if step.specific_class.__name__ == "QuizPage" else None)
    Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=yesterday)
    out = io.StringIO()
    call_command("send_weekly_summaries", stdout=out)
    assert "Queued 2 weekly summaries." in out.getvalue()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {supervisor.email, other_supervisor.email}
    body = by_recipient[supervisor.email].body
    assert f"== {cohort.name} (3 trainees) ==" in body
    assert "Course quiz-course (due" in body and "33% completed, average score 88.0%, 2 overdue" in body
    assert f"* {late}: Overdue: Course quiz-course" in body
    assert f"http://testserver/cohorts/{cohort.pk}/matrix/" in body
    other_body = by_recipient[other_supervisor.email].body
    assert cohort.name not in other_body and late.email not in other_body and str(late) not in other_body
    assert AuditEvent.objects.filter(action="weekly_summary_sent").count() == 2


def test_no_summary_for_someone_who_is_no_longer_a_supervisor(supervisor, cohort):
    supervisor.role = "trainee"
    supervisor.save()
    assert weekly_summary_send.call(supervisor.pk) == 0
    assert not mail.outbox
