from django.core.paginator import Paginator
from django.shortcuts import render

from coursesite.people.access import AUTHENTICATED, access

from . import selectors
from .models import LessonPage


@access(AUTHENTICATED)
def my_training(request):
    """The trainee's home: every course with their progress and where to continue."""
    return render(request, "lessons/my_training.html", {"cards": selectors.course_cards(learner=request.user)})


@access(AUTHENTICATED)
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = None
    if query:
        found = LessonPage.objects.live().public().search(query)
        results = Paginator(found, 20).get_page(request.GET.get("page"))
    return render(request, "lessons/search.html", {"query": query, "results": results})
