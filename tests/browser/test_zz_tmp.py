import pytest
from ehcflow.cases import forms as f
from tests.browser import test_journey as tj
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_journey_patched(page, personas, monkeypatch):
    monkeypatch.setattr(f.RequestForm.base_fields["version"], "required", False)
    tj.test_coordinator_records_every_step_from_request_to_final_plan(page, personas)
