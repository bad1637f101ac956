"""Several workers issuing the same certificate at once: exactly one row, whatever the timing."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from types import SimpleNamespace

import pytest
from django.db import connection

from coursesite.audit.models import AuditEvent
from coursesite.certificates import tasks
from coursesite.certificates.models import Certificate
from coursesite.certificates.services import certificate_issue
from coursesite.progress.services import completion_record
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_issuing_makes_exactly_one_certificate(monkeypatch):
    monkeypatch.setattr(tasks, "certificate_render_task", SimpleNamespace(enqueue=lambda **kwargs: None))
    learner = UserFactory()
    course = make_course(lessons=2, slug="race")
    for step in course.get_children():
        completion_record(learner=learner, step=step, course=course)
    workers = 6
    barrier = Barrier(workers)

    def issue():
        try:
            barrier.wait(timeout=10)
            return certificate_issue(learner=learner, course=course).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        ids = [future.result() for future in [pool.submit(issue) for _ in range(workers)]]
    assert len(set(ids)) == 1
    assert Certificate.objects.filter(learner=learner).count() == 1
    assert AuditEvent.objects.filter(action="certificate_issued").count() == 1
