"""Template filters for the way the service talks about dates and deadlines."""

from django import template

register = template.Library()

RAG_TAGS = {"red": ("govuk-tag--red", "Overdue"), "amber": ("govuk-tag--yellow", "Due soon"),
            "green": ("govuk-tag--green", "On track")}
STATUS_TAGS = {
    "open": ("govuk-tag--blue", "Open"),
    "met": ("govuk-tag--green", "Met"),
    "missed": ("govuk-tag--red", "Missed"),
    "exception_applies": ("govuk-tag--yellow", "Exception applies"),
    "not_applicable": ("govuk-tag--grey", "Not needed"),
}


@register.filter
def days_phrase(days: int | None) -> str:
    if days is None:
        return ""
    if days == 0:
        return "Due today"
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} overdue"
    return f"{days} day{'s' if days != 1 else ''} left"


@register.filter
def rag_class(rag: str) -> str:
    return RAG_TAGS.get(rag, ("govuk-tag--grey", ""))[0]


@register.filter
def rag_label(rag: str) -> str:
    return RAG_TAGS.get(rag, ("", "Nothing due"))[1]


@register.filter
def status_class(status: str) -> str:
    return STATUS_TAGS.get(status, ("govuk-tag--grey", status))[0]


@register.filter
def status_label(status: str) -> str:
    return STATUS_TAGS.get(status, ("", status))[1]


@register.simple_tag
def sort_link(current: str, key: str, query: str) -> str:
    """The href for a sortable column header: toggles between ascending and descending."""
    new = f"-{key}" if current == key else key
    return f"?{query + '&' if query else ''}sort={new}"


@register.filter
def aria_sort(current: str, key: str) -> str:
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"
