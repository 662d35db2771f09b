from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "ehcflow.appeals"
    label = "appeals"
