"""SEN2 fixtures: the shared community samples, and a council whose record makes a small return."""

import datetime
from pathlib import Path

import pytest
import time_machine

from ehcflow.sen2 import tree
from ehcflow.tenancy.models import LocalAuthority

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "sen2" / "liia-tools-pipeline"


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
