"""The delivery model's proposals in the browser: a manager asks for a rebalance, reads the preview and approves
it; a leader meets the cohort, circumstances and letters pages. axe-core checks every page (test_accessibility)."""

import pytest
from playwright.sync_api import expect

from ehcflow.people.models import Child
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import Audit
from tests.teams.test_proposals import changed, county, drifted  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_rebalances_their_team(page, drifted):
    p = drifted.people
    audit = Audit(page)
    sign_in(page, p["manager"])
    audit.visit("proposals", "/teams/proposals/", heading="Rebalancing and transfers")
    page.select_option("#id_team", str(drifted.north.pk))
    page.fill("#id_reason", "Test Coordinator is over target")
    page.get_by_role("button", name="Propose a rebalance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rebalance North area team caseloads")
    expect(page.locator("[data-result]")).to_have_text(
        "3 moves against a lower bound of 3 (optimal for the cost: min-cost flow).")
    moves = page.locator('[data-table="moves"] tbody tr')
    expect(moves).to_have_count(3)
    expect(moves.first).to_contain_text("Test Coordinator")
    expect(moves.first).to_contain_text("Test Colleague")
    colleague = page.locator(f'[data-table="caseloads"] tr[data-coordinator="{p["team_colleague"].pk}"]')
    expect(colleague.locator("[data-after]")).to_have_text("5")
    audit.run("proposal preview")
    assert Child.objects.filter(coordinator=p["team_colleague"]).count() == 2  # nothing moved yet

    page.get_by_role("button", name="Approve and move 3 children").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("3 children moved")
    expect(page.get_by_role("button", name="Approve and move 3 children")).to_have_count(0)
    audit.run("proposal applied")
    assert Child.objects.filter(coordinator=p["team_colleague"]).count() == 5

    page.locator('[data-table="moves"] tbody tr a').first.click()
    expect(page.locator('[data-contact="coordinator"]')).to_contain_text("Test Colleague")
    expect(page.locator('[data-contact="coordinator"]')).to_contain_text("colleague@testshire.gov.uk")
    expect(page.locator(".app-timeline")).to_contain_text("EHC coordinator changed from Test Coordinator")
    audit.run("case page after the move")
    audit.assert_clean(at_least=4)


def test_a_leader_meets_the_cohort_circumstances_and_letters_pages(page, changed):
    p = changed.people
    audit = Audit(page)
    sign_in(page, p["leader"])
    audit.visit("cohort transfer", "/teams/proposals/cohort/", heading="Transfer a cohort between teams")
    audit.submit_empty("cohort transfer with errors", "/teams/proposals/cohort/", "Preview the transfer",
                       heading="Transfer a cohort between teams")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the team they move to")
    audit.visit("circumstances", "/teams/proposals/circumstances/",
                heading="Children whose circumstances call for another team")
    expect(page.locator("[data-total]")).to_have_text("3 children in 3 groups.")
    page.get_by_role("button", name="Propose these team changes").click()
    expect(page.locator("[data-result]")).to_have_text("3 children move (each family given the coordinator with "
                                                       "most room, siblings kept together).")
    audit.run("circumstances proposal")
    page.get_by_role("button", name="Approve and move 3 children").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("3 children moved")
    audit.visit("letters", "/teams/proposals/letters/", heading="Letters to post to families")
    audit.assert_clean(at_least=5)
