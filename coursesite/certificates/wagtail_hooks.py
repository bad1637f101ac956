from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CertificateTemplate, CompletionRule


class CompletionRuleViewSet(SnippetViewSet):
    """Editors set, per course, what earns its certificate (without a rule: every live step passed)."""

    model = CompletionRule
    icon = "tasks"
    menu_label = "Completion rules"
    add_to_admin_menu = False
    list_display = ["course", "min_score", "min_hours", "require_signoff", "updated_at"]
    search_fields: list[str] = []


register_snippet(CompletionRuleViewSet)


class CertificateTemplateViewSet(SnippetViewSet):
    """Editors word and design certificates: one default template, optionally one per course, with a
    live preview of a sample certificate (as a web page or the real PDF) beside the form."""

    model = CertificateTemplate
    icon = "doc-full"
    menu_label = "Certificate templates"
    add_to_admin_menu = False
    list_display = ["name", "course", "issuer", "paper", "updated_at"]
    search_fields: list[str] = []


register_snippet(CertificateTemplateViewSet)
