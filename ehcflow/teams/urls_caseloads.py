"""URLs of the delivery model: caseloads (ehcflow.teams)."""

urlpatterns: list = []
