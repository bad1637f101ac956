from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Scenario


class ScenarioViewSet(SnippetViewSet):
    """Editors see and edit a scenario's YAML; `Scenario.clean` validates it on save."""

    model = Scenario
    icon = "clipboard-list"
    menu_label = "Office scenarios"
    list_display = ["title", "key", "updated_at"]
    search_fields = ["title", "key"]


register_snippet(ScenarioViewSet)
