from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coursesite.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # progress and certificates send; reports listens (arrows point one way: reports → them).
        from django.db.models.signals import post_save
        from wagtail.signals import page_published, page_unpublished

        from coursesite.certificates.models import Certificate
        from coursesite.progress.signals import step_completed

        from .receivers import (
            summaries_after_step_published,
            summary_after_certificate_saved,
            summary_after_step_completed,
        )

        step_completed.connect(summary_after_step_completed, dispatch_uid="reports.summary_after_step_completed")
        post_save.connect(
            summary_after_certificate_saved, sender=Certificate, dispatch_uid="reports.summary_after_certificate_saved"
        )
        for signal, name in ((page_published, "published"), (page_unpublished, "unpublished")):
            signal.connect(summaries_after_step_published, dispatch_uid=f"reports.summaries_after_step_{name}")
