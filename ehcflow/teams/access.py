"""Who may run the delivery model: one definition, used by every teams page, service and test.

- Service leaders and administrators: every team of their council — configure teams and staff, transfer
  cohorts between teams, rebalance any team, see every caseload.
- Team managers: their own teams — rebalance them, change a child's coordinator within them (with a reason),
  see their caseloads.
- Coordinators see their own caseload through the cases pages; nobody else sees anything here.
"""

from django.db.models import QuerySet

from ehcflow.accounts.models import Role
from ehcflow.cases.access import user_team_ids
from ehcflow.teams.models import Team

MANAGING_ROLES = {Role.TEAM_MANAGER.value, Role.SERVICE_LEADER.value, Role.ADMINISTRATOR.value}
COUNCIL_ROLES = {Role.SERVICE_LEADER.value, Role.ADMINISTRATOR.value}


def _staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_council_staff)


def can_configure_teams(user) -> bool:
    """Team rules, targets, staff details and cohort transfers between teams are council-wide decisions."""
    return _staff(user) and user.role in COUNCIL_ROLES


def teams_managed_by(user) -> QuerySet[Team]:
    if not _staff(user) or user.role not in MANAGING_ROLES:
        return Team.objects.none()
    teams = Team.objects.filter(la_id=user.la_id)
    if user.role in COUNCIL_ROLES:
        return teams
    return teams.filter(pk__in=user_team_ids(user))


def can_manage_team(user, team: Team | None) -> bool:
    return team is not None and teams_managed_by(user).filter(pk=team.pk).exists()
