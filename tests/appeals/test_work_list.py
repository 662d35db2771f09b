"""The appeals work list (/appeals/): who sees what (the one access rule), where each disagreement is, the council's
next deadline, the filters, and a query count that does not grow with the rows. Today is Monday 2 February 2026."""

import datetime

import pytest

from ehcflow.appeals.models import Disagreement
from ehcflow.cases import services
from ehcflow.cases.models import Case, Stage
from ehcflow.people.models import Child
from tests.appeals.conftest import (certificate, contact, first_step, held, no_plan, notice, order, outcome,
                                    register)
from tests.conftest import fresh, token
from tests.reviews.test_review_pages import count_queries
from tests.test_access import ALL, NOT_STAFF, SEES_CASE, client_for

d = datetime.date
URL = "/appeals/"


@pytest.fixture
def both(personas, refused):
    """Alex (North team) and Blake (South team), each refused an assessment with a notice sent on 19 January."""
    blake = fresh(Case.objects.exclude(pk=refused.pk).get())
    services.decision_record(actor=personas["other_team_coordinator"], case=blake, version=blake.version,
                             token=token(), decided_on=d(2025, 2, 10), outcome="not_assess", reasons="Needs met")
    notice(refused, personas["coordinator"], notice_sent_on=d(2026, 1, 19))
    notice(blake, personas["other_team_coordinator"], notice_sent_on=d(2026, 1, 19))
    return refused, fresh(blake)


def _body(persona_user, url=URL):
    response = client_for(persona_user).get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", sorted(ALL))
def test_who_sees_which_disagreements(persona, personas, both):
    response = client_for(personas[persona]).get(URL)
    if persona in NOT_STAFF:  # parents and professionals are refused
        assert response.status_code == 403 and "Testerby" not in response.content.decode()
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert ("Alex Testerby" in body) == (persona in SEES_CASE), persona  # North team, or the whole council
    sees_blake = persona in {"other_team_coordinator", "other_manager", "leader", "administrator"}
    assert ("Blake Testerby" in body) == sees_blake, persona
    if persona == "other_council_leader":  # another council's staff: its own list, none of ours
        assert "0 open disagreements" in body


def test_the_navigation_links_to_the_work_list(personas, both):
    body = _body(personas["coordinator"], "/transfers/")
    assert f'href="{URL}"' in body and ">Appeals</a>" in body
    assert 'aria-current="page">Appeals' in _body(personas["coordinator"])


def test_where_it_is_and_the_councils_next_deadline_through_to_the_order(personas, both):
    alex, _ = both
    actor = personas["coordinator"]
    row = lambda: _body(actor).split("Alex Testerby", 1)[1].split("</tr>", 1)[0]  # noqa: E731
    text = row()
    assert "Awaiting the family&#x27;s contact with the mediation adviser" in text
    assert "None now." in text and "last day to contact the mediation adviser, 19 Mar 2026" in text
    contact(alex, actor, contacted_on=d(2026, 1, 26), wanted=True)
    text = row()
    assert "Mediation wanted: to be held" in text and "Mediation held (within 30 days" in text
    assert "25 Feb 2026" in text and "23 days left" in text
    held(alex, actor, held_on=d(2026, 1, 30))
    text = row()
    assert "Certificate due after mediation" in text and "4 Feb 2026" in text and "2 days left" in text
    certificate(alex, actor, issued_on=d(2026, 2, 2))
    text = row()
    assert "Certificate issued: the family may appeal" in text and "last day to appeal" in text
    register(alex, actor, registered_on=d(2026, 2, 2))
    assert "Appeal registered: awaiting the Tribunal" in row()
    outcome(alex, actor, outcome="conceded", outcome_on=d(2026, 2, 2))
    assert "record the order" in row()
    order(alex, actor, order="assess", order_on=d(2026, 2, 2))
    text = row()
    assert "Order: carry out an assessment" in text and "16 Feb 2026" in text and "14 days left" in text
    first_step(alex, actor, done_on=d(2026, 2, 2))
    text = row()
    assert "Decision not to issue a plan after a Tribunal order to assess" in text and "13 Apr 2026" in text
    no_plan(alex, actor, decided_on=d(2026, 2, 2))
    assert "Alex Testerby" not in _body(actor)  # complied with: off the list


def test_overdue_council_deadlines_say_so(personas, both):
    alex, _ = both
    contact(alex, personas["coordinator"], contacted_on=d(2026, 1, 26), wanted=False)  # certificate due 29 January
    text = _body(personas["coordinator"]).split("Alex Testerby", 1)[1].split("</tr>", 1)[0]
    assert "Certificate due" in text and "29 Jan 2026" in text and "4 days overdue" in text


def test_finished_and_lapsed_disagreements_leave_the_list(personas, both):
    alex, _ = both
    actor = personas["coordinator"]
    item = Disagreement.objects.get(case=alex)
    Disagreement.objects.filter(pk=item.pk).update(notice_sent_on=d(2025, 12, 5))
    assert "Alex Testerby" in _body(actor)  # the family may still act until 5 February 2026...
    Disagreement.objects.filter(pk=item.pk).update(notice_sent_on=d(2025, 11, 28))
    assert "Alex Testerby" not in _body(actor)  # ...but not after 28 January: nothing more for the council to do
    Disagreement.objects.filter(pk=item.pk).update(mediation_contacted_on=d(2025, 11, 20), mediation_wanted=False)
    assert "Alex Testerby" in _body(actor)  # a certificate is still owed, however old
    Disagreement.objects.filter(pk=item.pk).update(certificate_issued_on=d(2025, 11, 25),
                                                   appeal_registered_on=d(2025, 12, 1), outcome="dismissed")
    assert "Alex Testerby" not in _body(actor)


def test_filter_by_team_and_by_where_it_is(personas, both, teams):
    alex, _ = both
    contact(alex, personas["coordinator"], contacted_on=d(2026, 1, 26), wanted=True)
    leader = personas["leader"]
    body = _body(leader)
    assert "Alex Testerby" in body and "Blake Testerby" in body and "2 open disagreements" in body
    assert "Mediation (1)" in body and "Awaiting mediation contact (1)" in body
    body = _body(leader, f"{URL}?team={teams['south'].pk}")
    assert "Alex Testerby" not in body and "Blake Testerby" in body
    body = _body(leader, f"{URL}?where=mediation")
    assert "Alex Testerby" in body and "Blake Testerby" not in body
    body = _body(leader, f"{URL}?where=order")
    assert "No open mediation or appeal matches the filter" in body
    # a team the user is not in, or nonsense, is ignored rather than trusted
    body = _body(personas["coordinator"], f"{URL}?team={teams['south'].pk}&where=nonsense")
    assert "Alex Testerby" in body and "Blake Testerby" not in body


def test_queries_do_not_grow_with_the_rows(personas, both):
    alex, _ = both
    actor = personas["coordinator"]
    client = client_for(actor)
    small = count_queries(client, URL)
    la, team = alex.la, alex.child.team
    wanted = {"mediation_contacted_on": d(2026, 1, 26), "mediation_wanted": True}
    appealed = {"mediation_contacted_on": d(2026, 1, 26), "mediation_wanted": False,
                "certificate_issued_on": d(2026, 1, 28), "appeal_registered_on": d(2026, 1, 29)}
    states = [{}, wanted, {**wanted, "mediation_held_on": d(2026, 1, 30)}, appealed,
              {**appealed, "outcome": "upheld", "outcome_on": d(2026, 1, 30), "order": "make_plan",
               "order_on": d(2026, 1, 30)}]
    for i in range(60):
        child = Child.objects.create(la=la, first_name=f"Pupil{i:02d}", last_name="Many", sex="F",
                                     date_of_birth=d(2016, 10, 1), team=team, coordinator=actor)
        c = Case.objects.create(la=la, child=child, received_on=d(2025, 1, 6), source="1")
        Case.objects.filter(pk=c.pk).update(stage=Stage.NOT_ASSESSED)
        Disagreement.objects.create(la=la, case=c, kind="refuse_assess", notice_sent_on=d(2026, 1, 19),
                                    **states[i % len(states)])
    assert count_queries(client, URL) == small
    body = client.get(URL).content.decode()
    assert "61 open disagreements" in body and "Page 1 of 2" in body
    assert body.count('<tr class="govuk-table__row" data-disagreement=') == 50
    assert count_queries(client, f"{URL}?page=2") == small
    assert small <= 10
