from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.services import question_bank_import


class Command(BaseCommand):
    help = "Import a Moodle GIFT file into a course's question bank. All or nothing: any problem and nothing is saved."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--course", required=True, help="Slug of the course whose bank receives the questions.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; save nothing.")

    def handle(self, *args, file: Path, course: str, dry_run: bool, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        result = question_bank_import(course_slug=course, text=text, actor=None, dry_run=dry_run)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(f"{file}:{problem.line}: {problem.message}")
            raise CommandError(f"Nothing was imported: {len(result.problems)} problem(s).")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} into {course}: {len(result.created)} new, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged."
        )
