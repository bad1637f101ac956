"""The editor's path: completion rules are snippets that Wagtail's Editors group may manage."""

import pytest
from django.urls import reverse

from coursesite.certificates.models import CompletionRule

pytestmark = pytest.mark.django_db


def test_an_editor_sets_a_completion_rule_for_a_course_in_the_admin(client, editor, course):
    client.force_login(editor)
    url = reverse("wagtailsnippets_certificates_completionrule:add")
    assert client.get(url).status_code == 200
    response = client.post(url, {"course": course.pk, "min_score": "85", "require_signoff": "on", "notes": "Board"})
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = CompletionRule.objects.get(course=course)
    assert rule.min_score == 85 and rule.require_signoff


def test_a_course_has_at_most_one_rule_and_the_score_is_a_percentage(client, editor, course):
    CompletionRule.objects.create(course=course)
    client.force_login(editor)
    url = reverse("wagtailsnippets_certificates_completionrule:add")
    response = client.post(url, {"course": course.pk, "min_score": "120"})
    assert response.status_code == 200  # the form is shown again with its errors
    assert CompletionRule.objects.count() == 1


def test_supervisors_cannot_reach_the_rules(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("wagtailsnippets_certificates_completionrule:list"))
    assert response.status_code in (302, 403)
