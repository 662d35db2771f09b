"""A page's query count must not grow with the data: measured at two sizes and compared."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ehcflow.cases import services
from tests.conftest import advance, new_case, token


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def add_cases(actor, n, start):
    for i in range(n):
        new_case(actor, first_name=f"Child{start + i}", upn=f"C{start + i:011d}X"[:13])


def test_caseload_queries_do_not_grow_with_cases(personas):
    client = Client()
    client.force_login(personas["coordinator"])
    add_cases(personas["coordinator"], 2, 0)
    small = {url: count_queries(client, url) for url in ("/caseload/", "/caseload/team/")}
    add_cases(personas["coordinator"], 25, 100)
    large = {url: count_queries(client, url) for url in ("/caseload/", "/caseload/team/")}
    assert large == small
    assert max(large.values()) <= 12


def test_case_page_queries_do_not_grow_with_the_record(personas, case, school):
    actor = personas["coordinator"]
    client = Client()
    client.force_login(actor)
    case = advance(case, actor, "drafting")
    small = count_queries(client, f"/cases/{case.pk}/")
    small_plan = count_queries(client, f"/cases/{case.pk}/plan/")
    from ehcflow.plans import services as plan_services
    from tests.conftest import fresh

    for i in range(6):
        case = fresh(case)
        services.advice_request_send(actor=actor, case=case, version=case.version, token=token(),
                                     advice_type="health", advisor=f"Health visitor {i}",
                                     sent_on=datetime.date(2025, 3, 25))
        case = fresh(case)
        need = plan_services.need_add(actor=actor, case=case, version=case.version, token=token(), area="semh",
                                      need_type="SEMH", rank=3, description=f"Need {i}")
        case = fresh(case)
        plan_services.provision_add(actor=actor, case=case, version=case.version, token=token(), area="semh",
                                    support=f"Item {i}", provider="Teacher", frequency="Daily",
                                    duration="20 minutes", needs=[need])
    assert count_queries(client, f"/cases/{case.pk}/") == small
    assert count_queries(client, f"/cases/{case.pk}/plan/") == small_plan
    assert small <= 25


def test_api_queries_do_not_grow(personas, case):
    from ehcflow.accounts.models import ApiToken

    _, key = ApiToken.issue(user=personas["leader"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    small = count_queries(client, "/api/v1/cases")
    add_cases(personas["coordinator"], 20, 200)
    assert count_queries(client, "/api/v1/cases") == small
