from django.apps import AppConfig


class MovesConfig(AppConfig):
    name = "ehcflow.moves"
    label = "moves"
