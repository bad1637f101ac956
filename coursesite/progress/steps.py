"""The base page of every course step (lesson, quiz, simulation).

Decided before the first migration: every step is a Wagtail page under a course page, knows its
course, and reports completion through `coursesite.progress.services.completion_record`.
"""

from wagtail.models import Page


class StepPage(Page):
    # Step pages live only under a course; the course page lists the step types it accepts.
    parent_page_types = ["lessons.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def get_course(self):
        return self.get_parent().specific
