from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "ehcflow.reviews"
    label = "reviews"
