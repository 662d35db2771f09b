from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "ehcflow.reminders"
    verbose_name = "Reminders and work queues"
