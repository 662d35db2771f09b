from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "ehcflow.transfers"
    label = "transfers"
    verbose_name = "Phase transfers"
