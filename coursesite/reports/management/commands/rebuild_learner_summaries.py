from django.core.management.base import BaseCommand

from coursesite.reports.summaries import learner_course_summaries_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the learner × course summary table behind the organisation summary from completions and "
        "certificates (after a restore, a bulk import, or publishing/unpublishing course steps)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", type=int, action="append", dest="courses", help="Only this course page id.")

    def handle(self, *args, courses=None, **options):
        count = learner_course_summaries_rebuild(course_ids=courses)
        self.stdout.write(f"Rebuilt {count} learner summar{'y' if count == 1 else 'ies'}.")
