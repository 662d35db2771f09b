"""The SEN2 pages: who may use each, the download, validating a file, loading a return and the data-quality list.

The return is the whole council's, so only the council-wide roles (data officers, service leaders, administrators)
use these pages, and only data officers and administrators load a return (ehcflow.sen2.access).
"""

import datetime

import pytest
import time_machine
from django.test import Client
from lxml import etree

from ehcflow.accounts.models import Role
from ehcflow.cases.models import Case
from ehcflow.people.models import Child
from ehcflow.sen2 import forms as sen2_forms
from ehcflow.sen2.rules import upn_check_letter
from ehcflow.sen2.services import sen2_quality_check, sen2_validate
from tests.conftest import advance, make_user, new_case
from tests.sen2.conftest import SHARED
from tests.test_access import ALL, NOT_STAFF, client_for
from tests.test_query_counts import count_queries

d = datetime.date
SAMPLE_2025 = SHARED / "sen2_sample_2025__sen2_liia-branch.xml"

USES_RETURN = {"leader", "administrator", "data_officer", "other_council_leader"}
IMPORTS = {"administrator", "data_officer"}
EVERYONE = ALL | {"data_officer"}
RETURN_PAGES = ["/sen2/", "/sen2/export/", "/sen2/validate/", "/sen2/data-quality/"]


@pytest.fixture
def at_today():
    """Early January 2026: the coming return is 2026 (census 15 January), its period 2025, when the tests'
    requests were received."""
    with time_machine.travel(datetime.datetime(2026, 1, 5, 12, 0), tick=False):
        yield d(2026, 1, 5)


@pytest.fixture
def people(at_today, personas, la):
    return {**personas, "data_officer": make_user("dataofficer", la=la, role=Role.DATA_OFFICER)}


@pytest.fixture
def council(people, case, la):
    """Alex (a valid UPN) held by the North team's coordinator and Blake (a UPN with the wrong check letter); the
    record checked for the 2026 return, as the nightly check leaves it."""
    sen2_quality_check(la=la, year=2026)
    return case


def checked(people) -> None:
    """Check the record again (as the data-quality page's button does) after a test changes it."""
    sen2_quality_check(la=people["data_officer"].la, year=2026)


@pytest.fixture
def uploads(settings, tmp_path):
    settings.SEN2_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def valid_upn(body: str) -> str:
    return upn_check_letter("A" + body) + body


def person_xml(surname="Rivers", forename="Sam", born="2015-05-05", upn="", more="", requests=""):
    upn_item = f"<UPN>{upn}</UPN>" if upn else ""
    return (f"<Person><Surname>{surname}</Surname><Forename>{forename}</Forename>"
            f"<PersonBirthDate>{born}</PersonBirthDate><Sex>F</Sex><Ethnicity>WBRI</Ethnicity>{upn_item}{more}"
            f"{requests}</Person>")


PENDING_REQUEST = ("<Requests><ReceivedDate>2025-03-03</ReceivedDate><RequestSource>1</RequestSource><RYA>0</RYA>"
                   "<RequestOutcome>A</RequestOutcome></Requests>")


def return_xml(*persons: str, year=2026, lea="919", ref="2026-01-15") -> bytes:
    return (f"<?xml version='1.0' encoding='UTF-8'?><Message><Header><CollectionDetails><Collection>SEN2</Collection>"
            f"<Year>{year}</Year><ReferenceDate>{ref}</ReferenceDate></CollectionDetails><Source>"
            f"<SourceLevel>L</SourceLevel><LEA>{lea}</LEA><SoftwareCode>Test</SoftwareCode><Release>1</Release>"
            f"<SerialNo>001</SerialNo><DateTime>{year}-01-20T10:00:00</DateTime><DMO>Y</DMO><DCO>Y</DCO>"
            f"<DSCO>Y</DSCO></Source></Header><Persons>{''.join(persons)}</Persons></Message>").encode()


def upload(content: bytes, name="return.xml"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/xml")


def body_of(response) -> str:
    return response.content.decode()


# --- Who may use the pages -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", sorted(USES_RETURN))
def test_the_return_pages_open_for(persona, people, council):
    client = client_for(people[persona])
    for url in RETURN_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    hub = body_of(client.get("/sen2/"))
    assert 'href="/sen2/"' in hub and "SEN2 return" in hub  # the header's menu item
    assert ('action="/sen2/import/"' in hub) == (persona in IMPORTS)


@pytest.mark.parametrize("persona", sorted(EVERYONE - USES_RETURN))
def test_it_denies_the_return_pages_to(persona, people, council):
    client = client_for(people[persona])
    for url in RETURN_PAGES:
        assert client.get(url).status_code == 403, url
    assert client.get("/sen2/export/?year=2026").status_code == 403
    response = client.post("/sen2/validate/", {"file": upload(return_xml(person_xml()))})
    assert response.status_code == 403
    assert 'href="/sen2/"' not in body_of(client.get("/timescales/"))  # no menu item either


@pytest.mark.parametrize("persona", sorted(EVERYONE - USES_RETURN))
def test_it_denies_the_export_to(persona, people, council):
    response = client_for(people[persona]).get("/sen2/export/?year=2026")
    assert response.status_code == 403 and "Content-Disposition" not in response


def test_it_denies_coordinator_the_export(people, council):
    assert client_for(people["coordinator"]).get("/sen2/export/").status_code == 403


@pytest.mark.parametrize("persona", sorted(IMPORTS))
def test_the_import_page_opens_for(persona, people, council):
    assert client_for(people[persona]).get("/sen2/import/").status_code == 200


@pytest.mark.parametrize("persona", sorted(EVERYONE - IMPORTS))
def test_it_denies_the_import_to(persona, people, council, uploads):
    client = client_for(people[persona])
    children = Child.objects.count()
    assert client.get("/sen2/import/").status_code == 403
    new = person_xml(upn=valid_upn("919000000001"), requests=PENDING_REQUEST)
    assert client.post("/sen2/import/", {"file": upload(return_xml(new))}).status_code == 403
    assert client.post("/sen2/import/confirm/", {"upload": "anything"}).status_code == 403
    assert Child.objects.count() == children
    assert not uploads.exists() or not any(uploads.iterdir())


def test_anonymous_is_sent_to_sign_in(people, council):
    child = council.child_id
    for url in RETURN_PAGES + ["/sen2/import/", f"/sen2/children/{child}/"]:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/"), url
    response = Client().post("/sen2/import/confirm/", {"upload": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


# --- The hub and the download ------------------------------------------------------------------------------------

def test_hub_shows_the_coming_return_and_its_problems(people, council):
    page = body_of(client_for(people["data_officer"]).get("/sen2/"))
    assert "The 2026 return" in page and "15 January 2026" in page
    assert 'data-count="persons">2<' in page
    assert 'data-count="errors"><strong class="govuk-tag govuk-tag--red">' in page  # Blake's check letter, at least
    assert '<option value="2026" selected>' in page and '<option value="2027"' not in page


def test_export_downloads_a_well_formed_return(people, council, school):
    advance(council, people["coordinator"], "plan_issued", school=school)
    response = client_for(people["data_officer"]).get("/sen2/export/?year=2026")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="sen2_919_2026.xml"'
    assert response["Cache-Control"] == "no-store"
    content = b"".join(response.streaming_content)
    root = etree.fromstring(content)
    assert root.tag == "Message" and root.findtext("Header/Source/LEA") == "919"
    assert root.findtext("Header/CollectionDetails/Year") == "2026"
    assert sorted(p.findtext("Forename") for p in root.iter("Person")) == ["Alex", "Blake"]
    alex = next(p for p in root.iter("Person") if p.findtext("Forename") == "Alex")
    assert alex.findtext("Requests/Assessment/NamedPlan/PlanDetail/URN") == "100001"
    report = sen2_validate(source=content, la=council.la)
    assert not report.refused and report.persons == 2


def test_export_defaults_to_the_coming_return(people, council):
    response = client_for(people["leader"]).get("/sen2/export/")
    assert response["Content-Disposition"] == 'attachment; filename="sen2_919_2026.xml"'


def test_export_of_a_year_not_offered_is_refused(people, council):
    client = client_for(people["data_officer"])
    for year in ("2027", "2031", "abc"):
        response = client.get(f"/sen2/export/?year={year}")
        assert response.status_code == 400
        assert "Select a collection year from the list" in body_of(response)


def test_another_councils_leader_downloads_only_their_own_return(people, council):
    response = client_for(people["other_council_leader"]).get("/sen2/export/?year=2026")
    assert response["Content-Disposition"] == 'attachment; filename="sen2_888_2026.xml"'
    content = b"".join(response.streaming_content)
    assert b"Testerby" not in content and b"<LEA>888</LEA>" in content


# --- Validating a file --------------------------------------------------------------------------------------------

def _validate(client, content: bytes, name="return.xml"):
    return client.post("/sen2/validate/", {"file": upload(content, name)})


@pytest.mark.skipif(not SAMPLE_2025.exists(), reason=f"the community sample {SAMPLE_2025} is not on this machine")
def test_validate_shows_the_problems_of_the_community_sample(people, council):
    response = _validate(client_for(people["data_officer"]), SAMPLE_2025.read_bytes(), SAMPLE_2025.name)
    page = body_of(response)
    assert response.status_code == 200 and "The file has errors" in page
    assert 'data-rule="SEN2-P02"' in page and "X1234567898765" in page  # a 14-character UPN
    assert 'data-rule="SEN2-H04"' in page  # the sample is LA 201's, not Testshire's
    assert 'data-refused' not in page


def test_validate_shows_a_14_character_upn(people, council):
    content = return_xml(person_xml(upn="X1234567898765"))
    page = body_of(_validate(client_for(people["data_officer"]), content))
    assert "The file has errors" in page and 'data-rule="SEN2-P02"' in page and "X1234567898765" in page
    assert 'data-count="persons">1<' in page


def test_validate_links_a_problem_to_the_child_of_this_council(people, council):
    blake = Child.objects.get(first_name="Blake")
    content = return_xml(person_xml("Testerby", "Blake", "2017-03-27", upn="B123456789012"),
                         person_xml("Elsewhere", "Jo", "2016-01-01", upn="B999999999999"))
    page = body_of(_validate(client_for(people["data_officer"]), content))
    assert f'data-child="{blake.pk}"' in page and f'href="/sen2/children/{blake.pk}/"' in page
    assert page.count("Not a child of this council on ehcflow") >= 1


def test_validate_does_not_link_another_councils_child(people, council):
    content = return_xml(person_xml("Testerby", "Blake", "2017-03-27", upn="B123456789012"), lea="888")
    page = body_of(_validate(client_for(people["other_council_leader"]), content))
    assert "/sen2/children/" not in page and 'data-rule="SEN2-P03"' in page


def test_validate_refuses_a_file_that_is_not_xml(people, council):
    response = _validate(client_for(people["data_officer"]), b"Surname,Forename\nSmith,Ava\n", "return.csv")
    page = body_of(response)
    assert response.status_code == 200 and "data-refused" in page and "not well-formed XML" in page
    assert "The file was refused" in page


def test_validate_refuses_an_xml_bomb(people, council):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><Message>&lol3;</Message>')
    page = body_of(_validate(client_for(people["data_officer"]), bomb))
    assert "data-refused" in page and "DTD" in page


def test_validate_without_a_file_says_so(people, council):
    client = client_for(people["data_officer"])
    response = client.post("/sen2/validate/", {})
    assert response.status_code == 400
    page = body_of(response)
    assert "govuk-error-summary" in page and "Select a SEN2 return file" in page and 'href="#id_file"' in page
    response = client.post("/sen2/validate/", {"file": upload(b"", "empty.xml")})
    assert response.status_code == 400 and "The selected file is empty" in body_of(response)


def test_validate_refuses_a_file_over_the_size_limit(people, council, monkeypatch):
    monkeypatch.setattr(sen2_forms, "MAX_UPLOAD_BYTES", 100)
    response = _validate(client_for(people["data_officer"]), return_xml(person_xml()))
    assert response.status_code == 400 and "The selected file must be smaller than 50 MB" in body_of(response)


def test_validate_shows_the_first_500_problems_and_counts_the_rest(people, council):
    content = return_xml(*[person_xml(surname=f"Nobody{i}") for i in range(505)])  # no UPN, ULN or reason
    page = body_of(_validate(client_for(people["data_officer"]), content))
    assert page.count('data-rule="SEN2-P01"') == 500
    assert 'data-more="5"' in page


# --- Loading a return ---------------------------------------------------------------------------------------------

def _row_counts() -> tuple:
    return (Child.objects.count(), Case.objects.count(), Child.history.count(), Case.history.count())


def test_import_dry_run_changes_nothing_then_confirm_imports(people, council, uploads):
    client = client_for(people["data_officer"])
    new = person_xml("Rivers", "Sam", "2015-05-05", upn=valid_upn("919000000001"), requests=PENDING_REQUEST)
    before = _row_counts()
    response = client.post("/sen2/import/", {"file": upload(return_xml(new))})
    page = body_of(response)
    assert response.status_code == 200 and "Check before loading" in page and "Confirm import" in page
    assert _row_counts() == before
    token = client.session["sen2_import_upload"]["token"]
    assert f'name="upload" value="{token}"' in page
    assert len(list(uploads.iterdir())) == 1

    response = client.post("/sen2/import/confirm/", {"upload": token})
    assert response.status_code == 200 and "Return loaded" in body_of(response)
    assert Child.objects.filter(last_name="Rivers", first_name="Sam").exists()
    assert Child.objects.count() == before[0] + 1
    assert Child.history.filter(last_name="Rivers").first().history_user == people["data_officer"]
    assert not any(uploads.iterdir())

    again = client.post("/sen2/import/confirm/", {"upload": token})
    assert again.status_code == 409 and "no file waiting" in body_of(again)
    assert Child.objects.count() == before[0] + 1


def test_import_confirm_needs_the_uploaders_own_session(people, council, uploads):
    owner, other = client_for(people["data_officer"]), client_for(people["administrator"])
    new = person_xml("Rivers", "Sam", "2015-05-05", upn=valid_upn("919000000001"), requests=PENDING_REQUEST)
    owner.post("/sen2/import/", {"file": upload(return_xml(new))})
    token = owner.session["sen2_import_upload"]["token"]
    before = _row_counts()
    assert other.post("/sen2/import/confirm/", {"upload": token}).status_code == 409
    assert owner.post("/sen2/import/confirm/", {"upload": "not-the-token"}).status_code == 409
    assert _row_counts() == before


def test_import_of_a_file_that_is_not_a_return_changes_nothing(people, council, uploads):
    client = client_for(people["administrator"])
    before = _row_counts()
    response = client.post("/sen2/import/", {"file": upload(b"<html><body>not a return</body></html>")})
    page = body_of(response)
    assert response.status_code == 200 and "data-refused" in page and "The file cannot be loaded" in page
    assert "Confirm import" not in page and "sen2_import_upload" not in client.session
    assert _row_counts() == before
    assert not any(uploads.iterdir())


def test_import_without_a_file_says_so(people, council, uploads):
    response = client_for(people["data_officer"]).post("/sen2/import/", {})
    assert response.status_code == 400 and "Select a SEN2 return file" in body_of(response)


# --- Data quality -------------------------------------------------------------------------------------------------

def test_data_quality_lists_a_child_with_no_upn_and_no_reason(people, council):
    noor = new_case(people["coordinator"], first_name="Noor", upn="", upn_unknown_reason="").child
    checked(people)
    page = body_of(client_for(people["data_officer"]).get("/sen2/data-quality/"))
    assert 'data-rule="SEN2-P01"' in page
    assert f'data-child="{noor.pk}"' in page and f'href="/sen2/children/{noor.pk}/"' in page
    assert 'data-table="rules"' in page and 'href="?year=2026&amp;rule=SEN2-P01"' in page


def test_data_quality_filters_by_severity_and_rule(people, council):
    new_case(people["coordinator"], first_name="Noor", upn="", upn_unknown_reason="")
    checked(people)
    client = client_for(people["data_officer"])
    page = body_of(client.get("/sen2/data-quality/?rule=SEN2-P01"))
    assert 'data-rule="SEN2-P01" data-severity' in page and 'data-rule="SEN2-P03" data-severity' not in page
    page = body_of(client.get("/sen2/data-quality/?severity=query"))
    assert 'data-severity="error"' not in page
    page = body_of(client.get("/sen2/data-quality/?rule=SEN2-Z99"))
    assert "No problem matches the filter" in page


def test_data_quality_refuses_a_year_not_offered(people, council):
    response = client_for(people["data_officer"]).get("/sen2/data-quality/?year=2031")
    assert response.status_code == 400 and "Select a collection year from the list" in body_of(response)


def test_data_quality_lists_errors_first(people, council):
    page = body_of(client_for(people["leader"]).get("/sen2/data-quality/"))
    severities = [chunk.split('"', 1)[0] for chunk in page.split('data-severity="')[1:]]
    assert severities == sorted(severities, key=lambda s: s != "error")


def test_data_quality_queries_do_not_grow_with_children(people, council):
    client = client_for(people["data_officer"])
    small = count_queries(client, "/sen2/data-quality/")
    small_hub = count_queries(client, "/sen2/")
    for i in range(12):
        new_case(people["coordinator"], first_name=f"Child{i}", upn="" if i % 2 else valid_upn(f"9190000001{i:02d}"),
                 upn_unknown_reason="")
    checked(people)
    assert count_queries(client, "/sen2/data-quality/") == small
    assert count_queries(client, "/sen2/") == small_hub


def test_the_menu_item_is_shown_to_those_who_use_the_return(people, council):
    for persona in EVERYONE - NOT_STAFF:
        page = body_of(client_for(people[persona]).get("/timescales/"))
        assert ('href="/sen2/"' in page) == (persona in USES_RETURN), persona


def test_loading_a_return_already_loaded_changes_nothing(people, council, uploads):
    client = client_for(people["data_officer"])
    new = return_xml(person_xml("Rivers", "Sam", "2015-05-05", upn=valid_upn("919000000001"), requests=PENDING_REQUEST))
    client.post("/sen2/import/", {"file": upload(new)})
    client.post("/sen2/import/confirm/", {"upload": client.session["sen2_import_upload"]["token"]})
    before = _row_counts()
    page = body_of(client.post("/sen2/import/", {"file": upload(new)}))
    assert "data-nothing-to-load" in page and "Confirm import" not in page
    assert "sen2_import_upload" not in client.session and not any(uploads.iterdir())
    assert _row_counts() == before


def test_the_record_is_checked_from_the_page_and_the_check_is_logged(people, council):
    noor = new_case(people["coordinator"], first_name="Noor", upn="", upn_unknown_reason="").child
    client = client_for(people["data_officer"])
    assert f'data-child="{noor.pk}"' not in body_of(client.get("/sen2/data-quality/"))  # as last checked
    response = client.post("/sen2/data-quality/check/", {"year": "2026"})
    assert response.status_code == 302 and response["Location"] == "/sen2/data-quality/?year=2026"
    assert f'data-child="{noor.pk}"' in body_of(client.get("/sen2/data-quality/"))
    hub = body_of(client.get("/sen2/"))
    assert "Data quality checked" in hub and "Test Dataofficer" in hub


def test_it_denies_checking_the_record_to(people, council):
    for persona in EVERYONE - USES_RETURN:
        response = client_for(people[persona]).post("/sen2/data-quality/check/", {"year": "2026"})
        assert response.status_code in (302, 403, 404), persona
        if persona not in NOT_STAFF:
            assert response.status_code == 403, persona


def test_a_download_is_logged_with_who_made_it(people, council):
    client = client_for(people["leader"])
    b"".join(client.get("/sen2/export/?year=2026").streaming_content)
    from ehcflow.sen2.models import ReturnEvent
    event = ReturnEvent.objects.get(action="export")
    assert event.user == people["leader"] and event.persons == 2 and event.year == 2026


def test_the_designated_officers_are_kept_by_a_data_officer(people, council, la):
    client = client_for(people["data_officer"])
    response = client.post("/sen2/council/", {"dmo": "Y", "dco": "N", "dsco": "R"})
    assert response.status_code == 302
    la.refresh_from_db()
    assert (la.dmo, la.dco, la.dsco) == ("Y", "N", "R")
    assert la.history.first().history_user == people["data_officer"]
    response = client.post("/sen2/council/", {"dmo": "X"})
    assert response.status_code == 400 and "Select whether the council has a designated clinical officer" in \
        body_of(response)
    la.refresh_from_db()
    assert la.dmo == "Y"


def test_it_denies_the_designated_officers_to(people, council, la):
    for persona in EVERYONE - IMPORTS:
        response = client_for(people[persona]).post("/sen2/council/", {"dmo": "N", "dco": "N", "dsco": "N"})
        assert response.status_code in (302, 403), persona
    la.refresh_from_db()
    assert la.dmo == ""
