from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CompletionRule


class CompletionRuleViewSet(SnippetViewSet):
    """Editors set, per course, what earns its certificate (without a rule: every live step passed)."""

    model = CompletionRule
    icon = "tasks"
    menu_label = "Completion rules"
    add_to_admin_menu = False
    list_display = ["course", "min_score", "min_hours", "require_signoff", "updated_at"]
    search_fields: list[str] = []


register_snippet(CompletionRuleViewSet)
