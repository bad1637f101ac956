from django.urls import reverse


def navigation(request) -> dict:
    """The navigation links for the signed-in user's role (labels and URLs only; no queries)."""
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        items.append(("My training", reverse("my_training")))
        items.append(("My certificates", reverse("my_certificates")))
        if user.is_supervisor:
            items.append(("My cohorts", reverse("my_cohorts")))
        if user.is_editor:
            items.append(("Edit content", "/cms/"))
        items.append(("Search", reverse("search")))
    current = request.path if request is not None else ""
    return {
        "nav_items": [
            {"label": label, "url": url, "current": current == url or (url != "/" and current.startswith(url))}
            for label, url in items
        ]
    }
