"""SEN2 fixtures: the shared community samples, and a council whose record makes a small return."""

import datetime
import io
import os
from pathlib import Path

import pytest
import time_machine

from ehcflow.cases import services
from ehcflow.demo.generator import upn_check_letter
from ehcflow.sen2 import tree
from ehcflow.sen2.services import sen2_export
from ehcflow.tenancy.models import LocalAuthority
from tests.conftest import advance, fresh, new_case, token

d = datetime.date

def _shared() -> Path:
    """The read-only reference folder beside the project (`../shared`), or EHCFLOW_SHARED_DIR where it lives
    elsewhere (a clone checked out away from it)."""
    here = Path(__file__).resolve().parents[2].parent / "shared"
    candidates = [Path(os.environ["EHCFLOW_SHARED_DIR"])] if os.environ.get("EHCFLOW_SHARED_DIR") else []
    return next((c for c in [*candidates, here, Path("/work/shared")] if (c / "sen2").is_dir()), here)


SHARED = _shared() / "sen2" / "liia-tools-pipeline"


def sample(name: str) -> Path:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"the shared SEN2 samples are not at {SHARED}")
    return path


@pytest.fixture
def at_2026():
    """After the 2026 census day, so every step of the conftest's worked example has happened."""
    with time_machine.travel(datetime.datetime(2026, 2, 2, 12, 0), tick=False):
        yield


@pytest.fixture
def london(db):
    """The council the community samples were written for (LEA 201)."""
    return LocalAuthority.objects.create(code="201", name="City of London")


def persons(source) -> list[dict]:
    return [item[1] for item in tree.read(source, strict=False) if item[0] == "person"]


def strip(t):
    """A tree without ehcflow's own notes (`_line`, `_child_id`, ...)."""
    if isinstance(t, dict):
        return {k: strip(v) for k, v in t.items() if not k.startswith("_")}
    if isinstance(t, list):
        return [strip(x) for x in t]
    return t


def missing(a, b, path: str = "") -> list[str]:
    """The items of tree `a` that tree `b` does not hold with the same value."""
    if isinstance(a, dict):
        out = []
        for k, v in a.items():
            out += [f"{path}/{k}"] if k not in b else missing(v, b[k], f"{path}/{k}")
        return out
    if isinstance(a, list):
        out = []
        for i, x in enumerate(a):
            out += [f"{path}[{i + 1}]"] if i >= len(b) else missing(x, b[i], f"{path}[{i + 1}]")
        return out
    return [] if a == b else [f"{path}: {a!r} in one, {b!r} in the other"]


def exported(la, year: int = 2026) -> bytes:
    out = io.BytesIO()
    sen2_export(la=la, year=year, out=out)
    return out.getvalue()


def upn(n: int) -> str:
    body = f"919{n:09d}"
    return upn_check_letter(body) + body


@pytest.fixture
def council(personas, school, at_2026, la):
    """Four children whose requests reach different points, plus one outside the 2026 return."""
    la.dmo, la.dco, la.dsco = "Y", "Y", "R"
    la.save()
    coord = personas["coordinator"]
    issued = advance(new_case(coord, upn=upn(1)), coord, "plan_issued", school=school)  # received 2025-01-06
    waiting = new_case(coord, first_name="Bea", upn=upn(2), received_on=d(2025, 9, 1))
    refused = new_case(coord, first_name="Cal", upn=upn(3), received_on=d(2025, 3, 3))
    services.decision_record(actor=coord, case=refused, version=refused.version, token=token(),
                             decided_on=d(2025, 4, 1), outcome="not_assess", reasons="Needs met at SEN support")
    ongoing = new_case(coord, first_name="Dee", upn=upn(4), received_on=d(2024, 6, 3))
    services.decision_record(actor=coord, case=ongoing, version=ongoing.version, token=token(),
                             decided_on=d(2024, 7, 1), outcome="assess", reasons="Evidence of needs")
    old = new_case(coord, first_name="Eve", upn=upn(5), received_on=d(2023, 5, 2))
    services.decision_record(actor=coord, case=old, version=old.version, token=token(),
                             decided_on=d(2023, 6, 1), outcome="not_assess", reasons="Needs met at SEN support")
    return {"issued": fresh(issued), "waiting": waiting, "refused": fresh(refused), "ongoing": fresh(ongoing),
            "old": fresh(old)}


