from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "coursesite.progress"
    label = "progress"
    verbose_name = "Progress"
