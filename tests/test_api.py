"""The JSON API: the calculator's contract, case endpoints, tokens and the OpenAPI document."""


from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.conftest import advance


@pytest.mark.parametrize("query, keys", [
    ("event=request_received&date=2025-01-06", {"decision_to_assess": "2025-02-17",
                                                "decision_not_to_issue": "2025-04-28", "final_plan": "2025-05-26"}),
    ("event=draft_served&date=2025-04-02", {"draft_comments_close": "2025-04-16"}),
    ("event=plan_issued&date=2019-01-01", {"first_review_decision": "2019-12-31"}),
    ("event=review_meeting&date=2025-11-03", {"review_decision": "2025-12-01", "amended_plan_final": "2026-01-26",
                                              "review_report": "2025-11-17"}),
    ("event=phase_transfer&date=2027-09-01&kind=school", {"phase_transfer_amendment": "2027-02-14"}),
])
def test_timescales_endpoint(db, query, keys):
    response = Client().get(f"/api/v1/timescales?{query}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"event", "date", "deadlines"}
    assert {d["key"]: d["due"] for d in body["deadlines"]} == keys
    assert all(d["label"] and d["source"] for d in body["deadlines"])


@pytest.mark.parametrize("query, words", [
    ("date=2025-01-06", "event"),
    ("event=request_received", "date"),
    ("event=request_received&date=2025-02-30", "real date"),
    ("event=request_received&date=06/01/2025", "YYYY-MM-DD"),
    ("event=birthday&date=2025-01-06", "request_received"),
    ("event=phase_transfer&date=2027-09-01", "kind"),
])
def test_timescales_endpoint_bad_input_is_400_with_a_message(db, query, words):
    response = Client().get(f"/api/v1/timescales?{query}")
    assert response.status_code == 400
    assert words in response.json()["detail"]


def test_timescales_page(db):
    page = Client().get("/timescales/?event=request_received&date_0=6&date_1=1&date_2=2025")
    body = page.content.decode()
    assert page.status_code == 200 and "26 May 2025" in body and "reg 13(2)" in body
    bad = Client().get("/timescales/?event=request_received&date_0=31&date_1=2&date_2=2025")
    assert bad.status_code == 400 and "There is a problem" in bad.content.decode()


def test_case_detail_carries_deadlines_plan_and_timeline(personas, case, school):
    case = advance(case, personas["coordinator"], "plan_issued", school=school)
    out = StringIO()
    call_command("create_api_token", "coordinator", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    body = Client().get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["stage"] == "plan_issued" and body["coordinator"]["name"]
    deadlines = {d["key"]: d for d in body["deadlines"]}
    assert deadlines["final_plan"]["due"] == "2025-05-26"
    assert deadlines["final_plan"]["status"] == "met"
    assert deadlines["decision_to_assess"]["status"] == "met"
    assert body["plan"]["named_setting"] == school.name
    assert body["plan"]["needs"][0]["need_type"] == "ASD"
    assert [e["kind"] for e in body["timeline"]][0] == "final_plan_issued"


def test_case_list_filters(personas, case, school):
    from ehcflow.accounts.models import ApiToken

    advance(case, personas["coordinator"], "assessing")
    _, key = ApiToken.issue(user=personas["leader"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [c["id"] for c in client.get("/api/v1/cases?stage=assessing").json()["results"]] == [case.pk]
    assert client.get("/api/v1/cases?stage=plan_issued").json()["count"] == 0
    coordinator = personas["coordinator"].pk
    assert client.get(f"/api/v1/cases?coordinator={coordinator}").json()["count"] == 1
    page = client.get("/api/v1/cases?page_size=1&page=2").json()
    assert page["count"] == 2 and len(page["results"]) == 1


def test_create_api_token_refuses_non_staff(personas):
    with pytest.raises(CommandError):
        call_command("create_api_token", "parent", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", stdout=StringIO())


def test_openapi_document_and_docs(db):
    doc = Client().get("/api/v1/openapi.json")
    assert doc.status_code == 200
    paths = doc.json()["paths"]
    assert "/api/v1/cases" in paths and "/api/v1/cases/{case_id}" in paths and "/api/v1/timescales" in paths
    assert Client().get("/api/v1/docs").status_code == 200




def test_timescales_page_says_what_is_missing(db):
    page = Client().get("/timescales/?event=&date_0=&date_1=&date_2=").content.decode()
    assert "Choose what happened" in page and "Enter the date it happened" in page
