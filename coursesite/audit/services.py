from django.db import models
from django.http import HttpRequest

from .models import AuditEvent


def target_label(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    return f"{obj._meta.label_lower}:{obj.pk}"


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    **detail,
) -> AuditEvent:
    """Write one audit row. Call it inside the same transaction as the change it records."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        target=target_label(target),
        ip_address=client_ip(request),
        detail=detail,
    )
