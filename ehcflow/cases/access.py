"""The one definition of who may see and change a child's case.

`case_scope` is the rule; the queryset filter (`cases_visible_to`) and the object predicate
(`can_view_case`, registered with `rules`) are both built from it, so a list can never show a case
that its detail page refuses, or the reverse.

- Service leaders and administrators: every case in their own local authority.
- Team managers and coordinators: cases of children held by one of their teams, and any child for
  whom they are the named coordinator.
- Everyone else (parents, professionals, staff of another council, inactive accounts): nothing here.
  The portal will give families and professionals their own, narrower views.
- Service leaders read; coordinators, managers and administrators also record steps.
"""

import rules
from django.db.models import Q, QuerySet

from ehcflow.accounts.models import Role
from ehcflow.cases.models import Case

CHANGE_ROLES = {Role.COORDINATOR.value, Role.TEAM_MANAGER.value, Role.ADMINISTRATOR.value}


def user_team_ids(user) -> list[int]:
    """The user's team ids, fetched once per request."""
    cached = getattr(user, "_team_ids", None)
    if cached is None:
        cached = list(user.teams.values_list("id", flat=True))
        user._team_ids = cached
    return cached


def child_scope(user, prefix: str = "") -> Q | None:
    """The filter on children (or on anything reached through `prefix`) this user may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_council_staff:
        return None
    scope = Q(**{f"{prefix}la_id": user.la_id})
    if user.sees_whole_council:
        return scope
    return scope & (Q(**{f"{prefix}team_id__in": user_team_ids(user)}) | Q(**{f"{prefix}coordinator_id": user.pk}))


def children_visible_to(user) -> QuerySet:
    from ehcflow.people.models import Child

    scope = child_scope(user)
    return Child.objects.none() if scope is None else Child.objects.filter(scope)


def case_scope(user) -> Q | None:
    scope = child_scope(user, prefix="child__")
    if scope is None:
        return None
    return scope & Q(la_id=user.la_id)


def cases_visible_to(user) -> QuerySet[Case]:
    scope = case_scope(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope)


@rules.predicate
def can_view_case(user, case: Case) -> bool:
    return case is not None and cases_visible_to(user).filter(pk=case.pk).exists()


@rules.predicate
def has_change_role(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_council_staff and user.role in CHANGE_ROLES


can_change_case = can_view_case & has_change_role

rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.change_case", can_change_case)
