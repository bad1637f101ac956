from django.core.management.base import BaseCommand, CommandError

from quizzes.gift import gift_export
from quizzes.selectors import bank_questions


class Command(BaseCommand):
    help = "Write a course's question bank (optionally one topic) to stdout in Moodle GIFT format."

    def add_arguments(self, parser):
        parser.add_argument("--course", required=True)
        parser.add_argument("--topic", default="")

    def handle(self, *args, course: str, topic: str, **options):
        questions = bank_questions(course_slug=course, topic=topic)
        if not questions:
            raise CommandError(f"No questions in course {course!r}" + (f" topic {topic!r}." if topic else "."))
        self.stdout.write(gift_export(questions), ending="")
