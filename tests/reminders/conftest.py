"""A real SMTP server on 127.0.0.1 for the reminder emails, and the immediate task backend."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from ehcflow.accounts.models import User


class Inbox:
    """Collects every message the SMTP server receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        msg["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["X-Envelope-To"].split(",")]

    def body(self, m) -> str:
        return m.get_body(preferencelist=("plain",)).get_content()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "https://ehc.example.gov.uk"
    settings.REMINDER_DAYS_AHEAD = 7


@pytest.fixture
def staff(personas):
    """Personas with email addresses (reminders go only to people who have one)."""
    for user in personas.values():
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.gov.uk")
        user.email = f"{user.username}@example.gov.uk"
    return personas
