from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "coursesite.certificates"
    label = "certificates"
    verbose_name = "Certificates"

    def ready(self) -> None:
        # progress sends `step_completed` and knows nothing about certificates (arrows point one way).
        from coursesite.progress.signals import step_completed

        from .receivers import issue_after_step_completed

        step_completed.connect(issue_after_step_completed, dispatch_uid="certificates.issue_after_step_completed")
