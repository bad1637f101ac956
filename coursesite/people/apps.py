from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "coursesite.people"
    label = "people"
    verbose_name = "People and cohorts"
