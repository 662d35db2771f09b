from django.apps import AppConfig


class ReassessmentConfig(AppConfig):
    name = "ehcflow.reassessment"
    label = "reassessment"
