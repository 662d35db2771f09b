"""GET /api/v1/cases and /api/v1/cases/{id}: the same selectors and access rules as the pages."""

import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer

from ehcflow.accounts.models import ApiToken
from ehcflow.cases.selectors import case_deadline_rows, case_get, case_list
from ehcflow.core.models import RecordView

MAX_PAGE_SIZE = 200


class BearerToken(HttpBearer):
    """A staff member's personal token; anything else is 401."""

    def authenticate(self, request, token):
        user = ApiToken.user_for(token)
        if user is None or not user.is_council_staff:
            return None
        request.user = user
        return user


router = Router(tags=["cases"], auth=BearerToken())


class PersonOut(Schema):
    id: int
    name: str


class ChildOut(Schema):
    id: int
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    sex: str
    upn: str
    looked_after: bool


class CaseSummaryOut(Schema):
    id: int
    child: ChildOut
    stage: str
    stage_label: str
    received_on: datetime.date
    team: PersonOut | None
    coordinator: PersonOut | None
    next_deadline: str | None
    next_deadline_due: datetime.date | None


class CasePageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseSummaryOut]


class DeadlineOut(Schema):
    key: str
    label: str
    due: datetime.date
    status: str
    source: str
    met_on: datetime.date | None
    ref: str | None


class TimelineOut(Schema):
    kind: str
    occurred_on: datetime.date
    summary: str
    from_stage: str
    to_stage: str


class NeedOut(Schema):
    area: str
    need_type: str
    rank: int
    description: str


class OutcomeOut(Schema):
    id: int
    area: str
    text: str
    by_when: str


class ProvisionOut(Schema):
    area: str
    support: str
    provider: str
    qualification: str
    ratio: str
    frequency: str
    duration: str
    outcome_ids: list[int]


class PlanOut(Schema):
    status: str
    draft_served_on: datetime.date | None
    issued_on: datetime.date | None
    named_setting: str | None
    setting_type: str
    needs: list[NeedOut]
    outcomes: list[OutcomeOut]
    provision: list[ProvisionOut]


class CaseDetailOut(CaseSummaryOut):
    plan: PlanOut | None
    deadlines: list[DeadlineOut]
    timeline: list[TimelineOut]


def _summary(case) -> dict:
    child, team, coordinator = case.child, case.child.team, case.child.coordinator
    return {
        "id": case.pk,
        "child": {"id": child.pk, "first_name": child.first_name, "last_name": child.last_name,
                  "date_of_birth": child.date_of_birth, "sex": child.sex, "upn": child.upn,
                  "looked_after": child.looked_after},
        "stage": case.stage, "stage_label": case.get_stage_display(), "received_on": case.received_on,
        "team": {"id": team.pk, "name": team.name} if team else None,
        "coordinator": {"id": coordinator.pk, "name": coordinator.get_full_name()} if coordinator else None,
        "next_deadline": case.next_deadline_key or None, "next_deadline_due": case.next_deadline_due,
    }


@router.get("", response=CasePageOut)
def list_cases(request, stage: str = "", team: int | None = None, coordinator: int | None = None,
               page: int = 1, page_size: int = 50):
    """Cases the token's owner may see, filterable by stage, team and coordinator; paginated."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    qs = case_list(user=request.auth, stage=stage, team=team, coordinator=coordinator, sort="-received",
                   include_closed=True)
    start = (page - 1) * page_size
    rows = list(qs[start:start + page_size])
    return {"count": qs.count(), "page": page, "page_size": page_size, "results": [_summary(c) for c in rows]}


@router.get("/{case_id}", response=CaseDetailOut)
def get_case(request, case_id: int):
    """One case with its child, plan, deadlines (the calculator's keys) and timeline."""
    case = case_get(user=request.auth, case_id=case_id)
    if case is None:
        raise Http404("Not found")
    RecordView.objects.create(la_id=case.la_id, user=request.auth, child_id=case.child_id, what="case", via="api")
    body = _summary(case)
    plan = getattr(case, "plan", None) if hasattr(case, "plan") else None
    body["plan"] = None if plan is None else {
        "status": plan.status, "draft_served_on": plan.draft_served_on, "issued_on": plan.issued_on,
        "named_setting": plan.named_setting.name if plan.named_setting else None, "setting_type": plan.setting_type,
        "needs": [{"area": n.area, "need_type": n.need_type, "rank": n.rank, "description": n.description}
                  for n in plan.needs.all()],
        "outcomes": [{"id": o.pk, "area": o.area, "text": o.text, "by_when": o.by_when} for o in plan.outcomes.all()],
        "provision": [{"area": p.area, "support": p.support, "provider": p.provider, "qualification": p.qualification,
                       "ratio": p.ratio, "frequency": p.frequency, "duration": p.duration,
                       "outcome_ids": [o.pk for o in p.outcomes.all()]} for p in plan.provisions.all()],
    }
    body["deadlines"] = [
        {"key": r.deadline.key, "label": r.deadline.label, "due": r.deadline.due, "status": r.deadline.status,
         "source": r.deadline.source, "met_on": r.deadline.met_on, "ref": r.deadline.ref}
        for r in case_deadline_rows(case, timezone.localdate())
    ]
    body["timeline"] = [{"kind": e.kind, "occurred_on": e.occurred_on, "summary": e.summary,
                         "from_stage": e.from_stage, "to_stage": e.to_stage} for e in case.timeline.all()]
    return body
