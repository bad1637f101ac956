from django.core.management.base import BaseCommand

from coursesite.reports.retention import (
    retention_years,
    training_record_counts,
    training_record_purge,
    training_records_due,
)


class Command(BaseCommand):
    help = (
        "Delete the training records of trainees whose retention period (TRAINING_RECORD_RETENTION_YEARS, "
        "six by default: 45 CFR 164.530(j)(2)) has passed since their record was last added to or last in "
        "effect, and anonymise their accounts. Audit events are never deleted. Try --dry-run first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be purged; change nothing.")
        parser.add_argument("--years", type=int, help="Override the setting for this run (at least 6).")

    def handle(self, *args, dry_run: bool = False, years: int | None = None, **options):
        years = retention_years(years)
        count = 0
        # Listed first (ids and dates only), then purged one by one: no read cursor stays open across writes.
        for candidate in list(training_records_due(years=years)):
            if dry_run:
                counts = training_record_counts(candidate.learner_id)
            else:
                counts = training_record_purge(learner_id=candidate.learner_id, years=years)
                if counts is None:
                    continue  # became active again since the scan
            count += 1
            detail = ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "no rows"
            self.stdout.write(
                f"{'Would purge' if dry_run else 'Purged'} learner {candidate.learner_id} "
                f"(retention clock started {candidate.clock_started:%Y-%m-%d}): {detail}"
            )
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(f"{count} training record{'' if count == 1 else 's'} {verb} ({years}-year retention).")
