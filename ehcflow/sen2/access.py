"""Who may use the SEN2 pages: one definition, used by every SEN2 page and by their tests.

- The return (the hub, the download, validating a file, the data-quality page): the council-wide roles (data
  officers, service leaders, administrators), always for their own council only. The return counts every child
  of the council, so a coordinator or team manager, who sees only their teams, may not make it.
- Loading a return (import): data officers and administrators only. It writes to many children's records at
  once, so a service leader, who reads, may not.
- A child's return details: anyone who may see the child (`ehcflow.cases.access.children_visible_to`) reads
  them. Data officers and administrators of the council change them, and so do coordinators and managers who
  may change the child's cases: a missing UPN reason is fixed by whoever holds the child.
- Everyone else is refused: a child they may not see is "not found", a page their role does not allow is
  "forbidden" (as for cases).
"""

from django.db.models import QuerySet

from ehcflow.accounts.models import Role
from ehcflow.cases.access import CHANGE_ROLES, children_visible_to
from ehcflow.people.models import Child

RETURN_ROLES = {Role.DATA_OFFICER.value, Role.SERVICE_LEADER.value, Role.ADMINISTRATOR.value}
IMPORT_ROLES = {Role.DATA_OFFICER.value, Role.ADMINISTRATOR.value}
DETAILS_CHANGE_ROLES = CHANGE_ROLES | {Role.DATA_OFFICER.value}


def _staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_council_staff)


def can_use_return(user) -> bool:
    """The hub, download, validation and data quality: the whole council's return."""
    return _staff(user) and user.sees_whole_council and user.role in RETURN_ROLES


def can_import_return(user) -> bool:
    return can_use_return(user) and user.role in IMPORT_ROLES


def children_readable_by(user) -> QuerySet:
    """The children whose return details the user may read: exactly those they may see."""
    return children_visible_to(user)


def children_changeable_by(user) -> QuerySet:
    """The children whose return details the user may change: those they see, if their role changes records."""
    if not _staff(user) or user.role not in DETAILS_CHANGE_ROLES:
        return Child.objects.none()
    return children_visible_to(user)


def can_change_details(user, child) -> bool:
    return child is not None and children_changeable_by(user).filter(pk=child.pk).exists()
