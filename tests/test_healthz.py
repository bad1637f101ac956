import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_and_the_task_queue(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok" and report["database"] == "ok" and report["tasks"]["status"] == "ok"


def test_healthz_counts_queued_tasks_with_the_database_backend(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report = client.get(reverse("healthz")).json()
    assert report["tasks"]["backend"] == "database" and report["tasks"]["queued"] >= 0


def test_healthz_fails_loudly_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["database"].startswith("error")
