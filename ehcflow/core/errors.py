"""Errors services raise so that every caller (page, API, command) reports them the same way."""

from django.core.exceptions import ValidationError


class StepRefused(ValidationError):
    """The step is not valid now (wrong stage, dates out of order). Nothing was changed."""


class StaleForm(Exception):
    """The case changed since the form was drawn: someone else recorded a step first."""

    message = (
        "Someone else has changed this case since you opened this form. Nothing you entered has "
        "been saved. Check the case, then try again."
    )


class DuplicateSubmission(Exception):
    """The same form was submitted twice (a double-click or a resent page): it was recorded once."""

    message = "This was already recorded. It has been saved once."


class NotAllowed(Exception):
    """The user may not do this to this record."""
