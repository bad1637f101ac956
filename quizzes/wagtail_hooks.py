from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Question
from .services import question_version_current


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = "Question bank"
    list_display = ["key", "type", "course_slug", "topic"]
    list_filter = ["type", "course_slug", "topic"]
    search_fields = ["key", "text"]


register_snippet(QuestionViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def freeze_question_version(request, instance):
    """Freeze a new version as soon as an editor changes a question (attempts also do it on start)."""
    if isinstance(instance, Question):
        question_version_current(question=instance)


@hooks.register("register_admin_menu_item")
def register_gift_menu_item():
    """The GIFT import/export page is a project view (editor-only); link it from the admin menu."""
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    return MenuItem("GIFT import/export", reverse("question_bank_gift"), icon_name="download", order=1000)
