from django.core.management.base import BaseCommand

from coursesite.certificates.tasks import certificate_expiry_reminders_task


class Command(BaseCommand):
    help = "Queue the certificate expiry reminders that are due. Run it once a day (cron or a systemd timer)."

    def handle(self, *args, **options):
        result = certificate_expiry_reminders_task.enqueue()
        self.stdout.write(f"Queued the expiry reminders ({result.id}).")
