from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from coursesite.people.access import PUBLIC, access


@access(PUBLIC)
def home(request):
    """Send each role to its home; anonymous visitors get the front page."""
    if request.user.is_authenticated:
        return redirect("my_cohorts" if request.user.is_supervisor else "my_training")
    return render(request, "home.html")


@never_cache
@access(PUBLIC)
def healthz(request):
    """Database and task-queue health as JSON, for load balancers and monitoring."""
    report: dict = {"status": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception as exc:  # noqa: BLE001  (any failure means unhealthy)
        report["database"] = f"error: {exc.__class__.__name__}"
        report["status"] = "error"
    report["tasks"] = _task_queue_health()
    if report["tasks"].get("status") == "error":
        report["status"] = "error"
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def _task_queue_health() -> dict:
    from django.conf import settings
    from django.utils import timezone

    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return {"backend": backend.rsplit(".", 1)[-1], "status": "ok"}
    try:
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        return {
            "backend": "database",
            "status": "ok",
            "queued": ready.count(),
            "oldest_queued_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0,
        }
    except Exception as exc:  # noqa: BLE001
        return {"backend": "database", "status": "error", "error": exc.__class__.__name__}
