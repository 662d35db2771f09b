"""URLs of the delivery model: config (ehcflow.teams)."""

urlpatterns: list = []
