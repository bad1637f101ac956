from django.core.management.base import BaseCommand

from coursesite.people.models import Membership, User
from coursesite.reports.tasks import weekly_summary_send


class Command(BaseCommand):
    help = "Queue the weekly summary email for every supervisor of a cohort (run it weekly from cron)."

    def handle(self, *args, **options):
        supervisors = (
            User.objects.filter(is_active=True, memberships__role=Membership.Role.SUPERVISOR)
            .distinct()
            .values_list("pk", flat=True)
        )
        count = 0
        for supervisor_id in supervisors:
            weekly_summary_send.enqueue(supervisor_id)
            count += 1
        self.stdout.write(f"Queued {count} weekly summar{'y' if count == 1 else 'ies'}.")
