from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.loader import ContentError, parse_tree, write_tree
from content.loader.office import parse_office_content

CONTENT_ROOT = Path(__file__).resolve().parents[2]


class Command(BaseCommand):
    help = (
        "Load the shipped curriculum from content/ into Wagtail. Idempotent: creates what is new, updates "
        "what changed in the files, and leaves pages that an editor changed in the admin alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--root", type=Path, default=CONTENT_ROOT, help="Folder holding courses/ (default: content/)."
        )

    def handle(self, *args, root: Path, **options):
        try:
            office = parse_office_content(root)
            courses = parse_tree(root)
            for course in courses:
                for simulation in course.simulations.values():
                    if simulation.scenario not in office.scenarios:
                        raise ContentError(
                            simulation.source, None, f"no scenario {simulation.scenario!r} in scenarios/"
                        )
        except ContentError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        report = write_tree(courses, root, office=office)
        for line in report.lines():
            self.stdout.write(line)
