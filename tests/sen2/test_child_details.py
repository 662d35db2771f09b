"""A child's return details (/sen2/children/<id>/): who may read and change them, the checks on a UPN, ULN and the
reason neither is known, the change saved with who made it, and a stale or wrong form changing nothing."""

import datetime
import html

import pytest

from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.core.models import RecordView
from ehcflow.demo import generator
from ehcflow.people import services
from ehcflow.people.models import Child, Placement
from ehcflow.sen2 import rules
from tests.conftest import new_case
from tests.sen2.test_pages import EVERYONE, at_today, people  # noqa: F401 (the fixtures)
from tests.test_access import CHANGES_CASE, NOT_STAFF, SEES_CASE, client_for

d = datetime.date
READS = SEES_CASE | {"data_officer"}
CHANGES = CHANGES_CASE | {"data_officer"}


@pytest.fixture
def alex(people, case):  # noqa: F811
    """Alex, held by the North team's coordinator; Blake (another child, the South team's) exists too."""
    return case.child


def form_data(child, **changes) -> dict:
    born = changes.pop("date_of_birth", child.date_of_birth)
    data = {"version": services.details_version(child), "first_name": child.first_name, "last_name": child.last_name,
            "sex": child.sex, "ethnicity": child.ethnicity, "postcode": child.postcode, "upn": child.upn,
            "uln": child.uln, "upn_unknown_reason": child.upn_unknown_reason,
            "date_of_birth_0": str(born.day), "date_of_birth_1": str(born.month), "date_of_birth_2": str(born.year)}
    data.update(changes)
    return data


def url(child) -> str:
    return f"/sen2/children/{child.pk}/"


def fresh(child) -> Child:
    return Child.objects.get(pk=child.pk)


# --- Who may read and change ------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_return_details_page(persona, people, alex):  # noqa: F811
    response = client_for(people[persona]).get(url(alex))
    expected = 200 if persona in READS else 403 if persona in NOT_STAFF else 404
    assert response.status_code == expected
    if expected == 200:
        page = response.content.decode()
        assert "Return details" in page and alex.full_name in page
        assert ('id="main-form"' in page) == (persona in CHANGES)
        assert RecordView.objects.filter(user=people[persona], child=alex, what="return details").exists()
    else:
        assert alex.first_name not in response.content.decode()
        assert not RecordView.objects.filter(user=people[persona]).exists()


@pytest.mark.parametrize("persona", sorted(CHANGES))
def test_return_details_are_changed_by(persona, people, alex):  # noqa: F811
    response = client_for(people[persona]).post(url(alex), form_data(alex, postcode="hx2 9zz"))
    assert response.status_code == 302 and response["Location"] == url(alex)
    assert fresh(alex).postcode == "HX2 9ZZ"


@pytest.mark.parametrize("persona", sorted(EVERYONE - CHANGES))
def test_it_denies_changing_return_details_to(persona, people, alex):  # noqa: F811
    response = client_for(people[persona]).post(url(alex), form_data(alex, postcode="HX2 9ZZ"))
    assert response.status_code == (403 if persona in NOT_STAFF | {"leader"} else 404)
    assert fresh(alex).postcode == "HX1 1AA"


def test_it_denies_a_service_leader_the_service_too(people, alex):  # noqa: F811
    with pytest.raises(NotAllowed):
        services.child_update_details(actor=people["leader"], child=alex, postcode="HX2 9ZZ")
    assert fresh(alex).postcode == "HX1 1AA"


def test_a_child_of_another_council_is_not_found(people, alex, other_la):  # noqa: F811
    other = Child.objects.create(la=other_la, first_name="Kim", last_name="Faraway", date_of_birth=d(2016, 1, 1),
                                 sex="F")
    for persona in ("data_officer", "administrator", "leader"):
        assert client_for(people[persona]).get(url(other)).status_code == 404
        assert client_for(people[persona]).post(url(other), form_data(other, postcode="HX2 9ZZ")).status_code == 404


# --- The checks -------------------------------------------------------------------------------------------------

def test_the_upn_check_letter_agrees_with_the_demo_council():
    """The form checks a UPN with the validator's rule (ehcflow.sen2.rules); the demo's UPNs are made by its own."""
    for body in ("123456789012", "000000000001", "987654321000", "20250101234A", "99999999999Z"):
        assert rules.upn_check_letter("X" + body) == generator.upn_check_letter(body)
        upn = generator.upn_check_letter(body) + body
        assert services.upn_problem(upn) == ""


@pytest.mark.parametrize("changes, field, message", [
    ({"upn": "B123456789012"}, "upn", services.UPN_CHECK),
    ({"upn": "A12345678901"}, "upn", services.UPN_FORMAT),
    ({"upn": "X1234567898765"}, "upn", services.UPN_FORMAT),
    ({"upn": "I123456789012"}, "upn", services.UPN_FORMAT),
    ({"upn": "", "uln": "", "upn_unknown_reason": ""}, "upn_unknown_reason", services.REASON_NEEDED),
    ({"upn_unknown_reason": "UN1"}, "upn_unknown_reason", services.REASON_NOT_WANTED),
    ({"upn": "", "uln": "123456789"}, "uln", services.ULN_FORMAT),
    ({"upn": "", "uln": "0123456789"}, "uln", services.ULN_FORMAT),
    ({"postcode": "NOT A POSTCODE"}, "postcode", "Enter a real postcode, like HX1 1AA"),
    ({"first_name": "  "}, "first_name", "Enter the child's first name"),
    ({"sex": ""}, "sex", "Select the child's sex"),
    ({"date_of_birth": d(2031, 1, 1)}, "date_of_birth", "Date of birth must be today or in the past"),
])
def test_the_form_refuses_and_nothing_changes(changes, field, message, people, alex):  # noqa: F811
    before = Child.history.filter(id=alex.pk).count()
    response = client_for(people["data_officer"]).post(url(alex), form_data(alex, **changes))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "govuk-error-summary" in page and message in page
    assert f'id="id_{field}-error"' in page
    assert fresh(alex).upn == "A123456789012" and Child.history.filter(id=alex.pk).count() == before


def test_the_service_refuses_what_the_form_refuses(people, alex):  # noqa: F811
    with pytest.raises(StepRefused) as refused:
        services.child_update_details(actor=people["data_officer"], child=alex, upn="B123456789012")
    assert refused.value.message_dict == {"upn": [services.UPN_CHECK]}
    with pytest.raises(StepRefused) as refused:
        services.child_update_details(actor=people["data_officer"], child=alex, upn="")
    assert refused.value.message_dict == {"upn_unknown_reason": [services.REASON_NEEDED]}
    with pytest.raises(TypeError):
        services.child_update_details(actor=people["data_officer"], child=alex, team=None)
    assert fresh(alex).upn == "A123456789012"


# --- Saving -----------------------------------------------------------------------------------------------------

def test_a_missing_reason_is_saved_with_who_saved_it(people, alex):  # noqa: F811
    noor = new_case(people["coordinator"], first_name="Noor", upn="", upn_unknown_reason="").child
    client = client_for(people["data_officer"])
    page = client.get(url(noor)).content.decode()
    assert 'data-rule="SEN2-P01"' in page  # the coming return's problem, at the top
    response = client.post(url(noor), form_data(noor, upn_unknown_reason="UN2"), follow=True)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Noor Testerby's return details saved" in page and 'data-rule="SEN2-P01"' not in page
    noor = fresh(noor)
    assert noor.upn_unknown_reason == "UN2"
    latest = Child.history.filter(id=noor.pk).order_by("-history_id").first()  # the clock is stopped
    assert latest.history_user == people["data_officer"] and latest.upn_unknown_reason == "UN2"


def test_values_are_written_as_the_return_writes_them(people, alex):  # noqa: F811
    client_for(people["coordinator"]).post(url(alex), form_data(alex, upn=" a123456789012 ", postcode="hx11aa",
                                                                 first_name=" Alexander "))
    alex = fresh(alex)
    assert (alex.upn, alex.postcode, alex.first_name) == ("A123456789012", "HX1 1AA", "Alexander")


def test_saving_the_same_details_writes_no_history(people, alex):  # noqa: F811
    before = Child.history.filter(id=alex.pk).count()
    response = client_for(people["data_officer"]).post(url(alex), form_data(alex))
    assert response.status_code == 302
    assert Child.history.filter(id=alex.pk).count() == before


def test_a_stale_form_changes_nothing(people, alex):  # noqa: F811
    stale = form_data(alex, postcode="HX3 3AA")
    services.child_update_details(actor=people["coordinator"], child=alex, postcode="HX2 2AA")
    response = client_for(people["data_officer"]).post(url(alex), stale)
    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "Someone else has changed Alex Testerby" in page and 'value="HX2 2AA"' in page
    assert fresh(alex).postcode == "HX2 2AA"


def test_a_stale_form_is_refused_by_the_service(people, alex):  # noqa: F811
    version = services.details_version(alex)
    services.child_update_details(actor=people["coordinator"], child=alex, postcode="HX2 2AA")
    with pytest.raises(services.DetailsChanged):
        services.child_update_details(actor=people["data_officer"], child=alex, version=version, postcode="HX3 3AA")
    assert fresh(alex).postcode == "HX2 2AA"


# --- What else the page shows -------------------------------------------------------------------------------------

def test_the_page_shows_the_childs_cases_placements_and_problems(people, case):  # noqa: F811
    blake = Child.objects.get(first_name="Blake")
    Placement.objects.create(la=blake.la, child=blake, urn="100001", rank=1, entry_on=d(2024, 9, 1))
    page = client_for(people["data_officer"]).get(url(blake)).content.decode()
    assert 'data-rule="SEN2-P03"' in page  # the UPN's check letter
    assert f'href="/cases/{blake.cases.get().pk}/"' in page
    assert "URN 100001" in page and "1 Sep 2024" in page
    assert 'href="/sen2/data-quality/"' in page


def test_the_page_queries_do_not_grow_with_the_childs_cases(people, alex):  # noqa: F811
    from tests.test_query_counts import count_queries

    client = client_for(people["data_officer"])
    small = count_queries(client, url(alex))
    for i in range(3):
        Placement.objects.create(la=alex.la, child=alex, urn=f"10000{i}", rank=1, entry_on=d(2024, 9, 1 + i))
    assert count_queries(client, url(alex)) == small
