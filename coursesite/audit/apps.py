from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "coursesite.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from . import signals  # noqa: F401  (login success/failure rows)
