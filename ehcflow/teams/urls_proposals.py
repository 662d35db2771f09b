"""URLs of the delivery model: proposals (ehcflow.teams)."""

urlpatterns: list = []
