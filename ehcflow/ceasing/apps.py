from django.apps import AppConfig


class CeasingConfig(AppConfig):
    name = "ehcflow.ceasing"
    label = "ceasing"
