"""The delivery model's configuration pages in the browser, with axe-core on each: the teams, a team's rule,
its staff, a coordinator's details, and a manager's change of who holds a child (with and without errors)."""

import pytest
from playwright.sync_api import expect

from ehcflow.people.models import Child
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import Audit
from tests.conftest import new_case
from tests.teams.conftest import mainstream, model  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_reads_and_edits_the_model(page, personas, model, mainstream):
    case = new_case(personas["manager"], coordinator=personas["coordinator"], setting=mainstream)
    child = Child.objects.get(pk=case.child_id)
    north = model["north"]
    audit = Audit(page)
    sign_in(page, personas["leader"])
    audit.visit("teams", "/teams/")
    expect(page.locator("main")).to_contain_text("Virtual School")
    audit.visit("team rule", f"/teams/{north.pk}/")
    audit.visit("new team", "/teams/new/")
    audit.submit_empty("new team with errors", "/teams/new/", button="Save team")
    audit.visit("team staff", f"/teams/{north.pk}/staff/")
    audit.visit("coordinator details", f"/teams/staff/{personas['coordinator'].pk}/")
    audit.visit("change who holds a child", f"/teams/children/{child.pk}/allocation/")
    audit.submit_empty("change who holds a child, with errors", f"/teams/children/{child.pk}/allocation/",
                       button=f"Change who holds {child.first_name}")
    audit.assert_clean(at_least=8)
