"""What the SEN2 commands share: finding the council they work for."""

from django.core.management.base import CommandError

from ehcflow.tenancy.models import LocalAuthority


def council(code: str | None) -> LocalAuthority:
    """The council named by `--la`, or the only one on the deployment."""
    if code:
        la = LocalAuthority.objects.filter(code=code).first()
        if la is None:
            raise CommandError(f"There is no council with LA code {code}.")
        return la
    councils = list(LocalAuthority.objects.all()[:2])
    if len(councils) != 1:
        raise CommandError("This deployment holds more than one council (or none): name one with --la CODE.")
    return councils[0]
