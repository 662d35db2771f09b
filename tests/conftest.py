"""Shared fixtures: a council, two teams and the personas every access test is written against."""

import datetime
import uuid

import pytest

from ehcflow.accounts.models import Role, User
from ehcflow.cases import services
from ehcflow.people.models import Carer, CarerLink, Setting
from ehcflow.teams.models import Team
from ehcflow.tenancy.models import LocalAuthority

TODAY = datetime.date(2025, 6, 2)


def token() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests make many users; the production hasher would spend seconds on each persona set."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def la(db):
    return LocalAuthority.objects.create(code="919", name="Testshire County Council")


@pytest.fixture
def other_la(db):
    return LocalAuthority.objects.create(code="888", name="Elsewhere Borough Council")


@pytest.fixture
def teams(la):
    return {"north": Team.objects.create(la=la, name="North area team"),
            "south": Team.objects.create(la=la, name="South area team")}


def make_user(username, *, la, role="", teams=(), first="Test", last=None):
    user = User.objects.create_user(username=username, password="a-long-test-password", la=la, role=role,
                                    first_name=first, last_name=last or username.title())
    if teams:
        user.teams.set(teams)
    return user


@pytest.fixture
def personas(la, other_la, teams):
    """Each persona the access rules are written for."""
    people = {
        "coordinator": make_user("coordinator", la=la, role=Role.COORDINATOR, teams=[teams["north"]]),
        "team_colleague": make_user("colleague", la=la, role=Role.COORDINATOR, teams=[teams["north"]]),
        "other_team_coordinator": make_user("othercoord", la=la, role=Role.COORDINATOR, teams=[teams["south"]]),
        "manager": make_user("manager", la=la, role=Role.TEAM_MANAGER, teams=[teams["north"]]),
        "other_manager": make_user("othermanager", la=la, role=Role.TEAM_MANAGER, teams=[teams["south"]]),
        "leader": make_user("leader", la=la, role=Role.SERVICE_LEADER),
        "administrator": make_user("administrator", la=la, role=Role.ADMINISTRATOR),
        "other_council_leader": make_user("otherleader", la=other_la, role=Role.SERVICE_LEADER),
        "parent": make_user("parent", la=None),
        "other_parent": make_user("otherparent", la=None),
        "professional": make_user("professional", la=None),
    }
    return people


@pytest.fixture
def school(db):
    return Setting.objects.create(name="Oakfield Primary School", urn="100001", phase="primary", kind="mainstream",
                                  la_code="919")


@pytest.fixture
def other_school(db):
    return Setting.objects.create(name="Beech Hill Academy", urn="100002", phase="secondary", kind="mainstream",
                                  la_code="919")


CHILD = {"first_name": "Alex", "last_name": "Testerby", "date_of_birth": datetime.date(2017, 3, 27), "sex": "M",
         "ethnicity": "WBRI", "postcode": "HX1 1AA", "upn": "A123456789012", "uln": "", "upn_unknown_reason": "",
         "looked_after": False}


def new_case(actor, *, received_on=datetime.date(2025, 1, 6), coordinator=None, **child):
    """A request recorded as the request page does by default: a coordinator recording it is preselected as the
    child's coordinator (an explicit choice, kept over the team rules: ehcflow.teams.allocation)."""
    if coordinator is None and actor.role == Role.COORDINATOR:
        coordinator = actor
    return services.request_record(
        actor=actor, token=token(), received_on=received_on, source="1", child_details={**CHILD, **child},
        carer_details={"first_name": "Sam", "last_name": "Testerby", "email": "sam@example.com", "phone": ""},
        coordinator=coordinator,
    )


@pytest.fixture
def case(personas):
    """A case held by `coordinator` in the North team, with `parent` as the child's parent."""
    c = new_case(personas["coordinator"])
    carer = Carer.objects.get(child_links__child=c.child)
    carer.user = personas["parent"]
    carer.save()
    other_carer = Carer.objects.create(la=c.la, first_name="Other", last_name="Parent", user=personas["other_parent"])
    other = new_case(personas["other_team_coordinator"], first_name="Blake", upn="B123456789012")
    CarerLink.objects.create(la=c.la, child=other.child, carer=other_carer)
    return c


def fresh(case):
    from ehcflow.cases.models import Case

    return Case.objects.get(pk=case.pk)


def advance(case, actor, to: str, school=None):
    """Carry a case through the services up to stage `to` with dates in the reference's worked example."""
    from ehcflow.plans import services as plan_services

    d = datetime.date
    order = ["assessing", "drafting", "draft_served", "plan_issued"]
    case = fresh(case)
    services.decision_record(actor=actor, case=case, version=case.version, token=token(), decided_on=d(2025, 2, 10),
                             outcome="assess", reasons="Evidence of needs not met at SEN support")
    if to == "assessing":
        return fresh(case)
    case = fresh(case)
    services.advice_request_send(actor=actor, case=case, version=case.version, token=token(), advice_type="ep",
                                 advisor="Dr A Okafor", sent_on=d(2025, 2, 11))
    case = fresh(case)
    services.outcome_record(actor=actor, case=case, version=case.version, token=token(), outcome_on=d(2025, 3, 24),
                            outcome="issue", reasons="")
    case = fresh(case)
    need = plan_services.need_add(actor=actor, case=case, version=case.version, token=token(), area="communication",
                                  need_type="ASD", rank=1, description="Alex finds changes of routine hard.")
    case = fresh(case)
    outcome = plan_services.outcome_add(actor=actor, case=case, version=case.version, token=token(),
                                        area="communication", text="Alex will ask an adult for help unprompted",
                                        by_when="End of Year 4")
    case = fresh(case)
    plan_services.provision_add(actor=actor, case=case, version=case.version, token=token(), area="communication",
                                support="Social communication group using the Lego therapy programme",
                                provider="Teaching assistant", qualification="Trained in Lego therapy", ratio="1:4",
                                frequency="Twice a week", duration="30 minutes", needs=[need], outcomes=[outcome])
    if to == "drafting":
        return fresh(case)
    case = fresh(case)
    services.draft_serve(actor=actor, case=case, version=case.version, token=token(), served_on=d(2025, 4, 2))
    if to == "draft_served":
        return fresh(case)
    case = fresh(case)
    services.final_plan_issue(actor=actor, case=case, version=case.version, token=token(), issued_on=d(2025, 4, 28),
                              named_setting=school, setting_type="")
    assert to in order
    return fresh(case)
