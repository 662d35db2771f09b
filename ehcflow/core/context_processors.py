from django.conf import settings


def service(request):
    """The service name and the signed-in user's council, for the header of every page."""
    user = getattr(request, "user", None)
    la = getattr(user, "la", None) if user is not None and user.is_authenticated else None
    return {"service_name": settings.SERVICE_NAME, "council": la}
