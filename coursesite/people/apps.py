from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "coursesite.people"
    label = "people"
    verbose_name = "People and cohorts"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
