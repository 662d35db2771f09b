"""The JSON API (django-ninja): OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI

from ehcflow.cases.api import router as cases_router
from ehcflow.deadlines.api import router as timescales_router

api = NinjaAPI(
    title="ehcflow API",
    version="1",
    description="Cases for staff holding a personal API token (Authorization: Bearer <token>); "
                "the public timescale calculator needs no token.",
    urls_namespace="api",
)
api.add_router("/timescales", timescales_router)
api.add_router("/cases", cases_router)
