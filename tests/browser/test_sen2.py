"""A data officer prepares the SEN2 return in a real browser (Aisha's January): the data-quality list, a missing
UPN reason fixed through the link to the child, a file validated; axe-core checks every SEN2 page in each state."""

import pytest
from playwright.sync_api import expect

from ehcflow.accounts.models import Role
from ehcflow.people.models import Child
from ehcflow.sen2.forms import coming_year
from ehcflow.sen2.rules import upn_check_letter
from ehcflow.sen2.services import sen2_quality_check
from tests.browser.conftest import page_errors, sign_in
from tests.browser.test_accessibility import Audit
from tests.conftest import make_user, new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def return_xml(*persons: str, year=2026, lea="919") -> bytes:
    return (f"<?xml version='1.0' encoding='UTF-8'?><Message><Header><CollectionDetails><Collection>SEN2</Collection>"
            f"<Year>{year}</Year><ReferenceDate>2026-01-15</ReferenceDate></CollectionDetails><Source>"
            f"<SourceLevel>L</SourceLevel><LEA>{lea}</LEA><SoftwareCode>Test</SoftwareCode><Release>1</Release>"
            f"<SerialNo>001</SerialNo><DateTime>{year}-01-20T10:00:00</DateTime><DMO>Y</DMO><DCO>Y</DCO>"
            f"<DSCO>Y</DSCO></Source></Header><Persons>{''.join(persons)}</Persons></Message>").encode()


def person_xml(surname: str, forename: str, upn: str = "", requests: str = "") -> str:
    return (f"<Person><Surname>{surname}</Surname><Forename>{forename}</Forename>"
            f"<PersonBirthDate>2015-05-05</PersonBirthDate><Sex>F</Sex><Ethnicity>WBRI</Ethnicity>"
            f"{f'<UPN>{upn}</UPN>' if upn else ''}{requests}</Person>")


PENDING_REQUEST = ("<Requests><ReceivedDate>2025-03-03</ReceivedDate><RequestSource>1</RequestSource><RYA>0</RYA>"
                   "<RequestOutcome>A</RequestOutcome></Requests>")


@pytest.fixture
def data_officer(personas):
    return make_user("dataofficer", la=personas["coordinator"].la, role=Role.DATA_OFFICER, first="Aisha",
                     last="Khan")


@pytest.fixture
def noor(personas):
    """A child recorded with no UPN, no ULN and no reason why: an error in the coming return."""
    new_case(personas["coordinator"])  # Alex, whose details are complete
    child = new_case(personas["coordinator"], first_name="Noor", upn="", upn_unknown_reason="").child
    sen2_quality_check(la=child.la, year=coming_year())  # as the nightly check leaves it
    return child


def upload(page, selector: str, content: bytes, name: str = "return.xml") -> None:
    page.set_input_files(selector, files=[{"name": name, "mimeType": "application/xml", "buffer": content}])


def test_a_missing_upn_reason_is_fixed_through_the_link_to_the_child(page, data_officer, noor):
    sign_in(page, data_officer)
    page.get_by_role("link", name="SEN2 return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SEN2 return")
    page.get_by_role("link", name="See the problems and fix them in the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data quality")
    row = page.locator(f'tr[data-rule="SEN2-P01"][data-child="{noor.pk}"]')
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Testerby, Noor")

    row.get_by_role("link", name="Return details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return details")
    expect(page.locator('[data-list="child-problems"] [data-rule="SEN2-P01"]')).to_have_count(1)
    page.select_option("#id_upn_unknown_reason", "UN2")
    page.locator("#main-form").get_by_role("button", name="Save return details").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Noor Testerby's return details saved")
    expect(page.locator('[data-list="child-problems"] [data-rule="SEN2-P01"]')).to_have_count(0)
    assert Child.objects.get(pk=noor.pk).upn_unknown_reason == "UN2"

    page.get_by_role("link", name="Back to data quality").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data quality")
    expect(page.locator(f'tr[data-rule="SEN2-P01"][data-child="{noor.pk}"]')).to_have_count(0)


def test_a_wrong_upn_is_refused_in_the_browser(page, data_officer, noor):
    sign_in(page, data_officer)
    page.goto(f"/sen2/children/{noor.pk}/")
    page.fill("#id_upn", "B123456789012")  # the check letter should be A
    page.locator("#main-form").get_by_role("button", name="Save return details").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("check letter")
    page.locator(".govuk-error-summary a").first.click()
    expect(page.locator("#id_upn")).to_be_focused()
    assert Child.objects.get(pk=noor.pk).upn == ""


def test_a_file_is_validated_from_the_hub(page, data_officer, noor):
    sign_in(page, data_officer)
    page.goto("/sen2/")
    upload(page, "#validate_file", return_xml(person_xml("Rivers", "Sam", upn="X1234567898765")))
    page.get_by_role("button", name="Validate file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The file has errors")
    expect(page.locator('tr[data-rule="SEN2-P02"]')).to_contain_text("X1234567898765")
    expect(page.locator('[data-summary="report"] [data-count="persons"]')).to_have_text("1")


def test_the_sen2_pages_are_accessible(page, data_officer, noor):
    audit = Audit(page)
    sign_in(page, data_officer)
    audit.visit("SEN2 hub", "/sen2/", heading="SEN2 return")
    audit.visit("SEN2 hub, year not offered", "/sen2/export/?year=2031", status=400, heading="SEN2 return")
    audit.visit("data quality", "/sen2/data-quality/", heading="Data quality")
    audit.visit("data quality, filtered", "/sen2/data-quality/?severity=error&rule=SEN2-P01", heading="Data quality")
    audit.visit("data quality, nothing matches", "/sen2/data-quality/?rule=SEN2-Z99", heading="Data quality")
    audit.visit("return details", f"/sen2/children/{noor.pk}/", heading="Return details")
    page.fill("#id_upn", "B123456789012")
    page.locator("#main-form").get_by_role("button", name="Save return details").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.run("return details with errors", heading="Return details")

    audit.visit("validate a file", "/sen2/validate/", heading="Validate a SEN2 return file")
    audit.submit_empty("validate a file, none chosen", "/sen2/validate/", "Validate file",
                       heading="Validate a SEN2 return file")
    upload(page, "#id_file", return_xml(person_xml("Rivers", "Sam", upn="X1234567898765"),
                                        person_xml("Testerby", "Noor")))
    page.locator("#main-form").get_by_role("button", name="Validate file").click()
    audit.run("validation results", heading="The file has errors")
    page.goto("/sen2/validate/")
    upload(page, "#id_file", b"not a return at all", "notes.txt")
    page.locator("#main-form").get_by_role("button", name="Validate file").click()
    audit.run("validation, file refused", heading="The file was refused")

    audit.visit("load a return", "/sen2/import/", heading="Load a SEN2 return")
    audit.submit_empty("load a return, none chosen", "/sen2/import/", "Check the file", heading="Load a SEN2 return")
    body = "919000000001"
    new = person_xml("Rivers", "Sam", upn=upn_check_letter("A" + body) + body, requests=PENDING_REQUEST)
    upload(page, "#id_file", return_xml(new))
    page.locator("#main-form").get_by_role("button", name="Check the file").click()
    audit.run("load a return, the dry run", heading="Check before loading")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Return loaded")
    assert Child.objects.filter(last_name="Rivers").exists(), page_errors(page)
    audit.run("load a return, loaded", heading="Return loaded")
    audit.assert_clean(at_least=14)


def test_the_return_is_downloaded_and_the_download_validates(page, data_officer, noor, tmp_path):
    """Aisha's January: download the return the record makes, then check that very file before submitting it."""
    noor.upn_unknown_reason = "UN2"  # the one error in this council, fixed
    noor.save()
    sign_in(page, data_officer)
    page.goto("/sen2/")
    for officer, answer in (("dmo", "Yes"), ("dco", "Yes"), ("dsco", "Recruitment in progress")):
        page.locator(f'input[name="{officer}"]').and_(page.get_by_label(answer)).check()
    page.get_by_role("button", name="Save designated officers").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("designated officers are saved")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the return (XML)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"sen2_919_{coming_year()}.xml" and b"<Surname>Testerby</Surname>" in saved.read_bytes()
    page.goto("/sen2/")
    page.set_input_files("#validate_file", str(saved))
    page.get_by_role("button", name="Validate file").click()
    expect(page.locator('[data-summary="report"] [data-count="errors"]')).to_have_text("0")
    expect(page.locator('[data-summary="report"] [data-count="persons"]')).to_have_text("2")
    page.goto("/sen2/")
    expect(page.locator('[data-table="events"]')).to_contain_text("Return downloaded or written")
    expect(page.locator('[data-table="events"]')).to_contain_text("File validated")


def test_a_placement_is_recorded_from_the_return_details(page, data_officer, noor):
    audit = Audit(page)
    sign_in(page, data_officer)
    page.goto(f"/sen2/children/{noor.pk}/")
    page.get_by_text("Record a placement").click()
    page.get_by_role("button", name="Record placement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the school or college")
    audit.run("return details, placement with errors", heading="Return details")
    page.select_option("#placement_setting_kind", "EHE")
    page.locator("#placement_rank_0").check()
    page.fill("#placement_entry_on_0", "1")
    page.fill("#placement_entry_on_1", "9")
    page.fill("#placement_entry_on_2", "2025")
    page.get_by_role("button", name="Record placement").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Placement recorded")
    expect(page.locator('[data-table="placements"]')).to_contain_text("Elective home education")
    audit.run("return details with a placement", heading="Return details")
    audit.assert_clean(at_least=2)
