"""Every shipped lesson, rendered: headings in order, images with alt text, form fields labelled."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lessons.models import LessonPage

pytestmark = pytest.mark.django_db
CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def shipped_lessons(db):
    call_command("load_content", root=CONTENT, stdout=StringIO())
    return list(LessonPage.objects.live())


def test_shipped_lessons_render_accessibly(client, editor, shipped_lessons):
    client.force_login(editor)  # editors may open every step, locked or not
    assert len(shipped_lessons) >= 20
    for lesson in shipped_lessons:
        html = client.get(lesson.url).content.decode()
        levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
        assert levels.count(1) == 1, f"{lesson.slug}: exactly one h1"
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert not skips, f"{lesson.slug}: heading levels skip {skips}"
        assert not re.search(r"<img(?![^>]*\balt=)", html), f"{lesson.slug}: an image without alt"
        radios = len(re.findall(r'<input type="radio"', html))
        wrapped = len(re.findall(r'<label><input type="radio"', html))
        assert radios == wrapped, f"{lesson.slug}: {radios - wrapped} self-check options without a label"
