"""The SEN2 return pages: the hub, the download, validating a file, loading a return, the data-quality list and a
child's return details. Thin: they read through the selectors and write through the services.

Who may do what is `ehcflow.sen2.access`. A child the user may not see is "not found"; a page their role does not
allow is "forbidden"; anyone not signed in is sent to sign in.

Loading a return always shows a dry run first. The uploaded file waits in a private folder under a random name
known only to the uploader's session (with its digest, so a changed file is refused) until they confirm or upload
another; a file left behind is removed after a day.
"""

import hashlib
import os
import secrets
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ehcflow.cases.access import cases_visible_to
from ehcflow.cases.views import _add_errors, staff_required
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.core.models import RecordView
from ehcflow.people.forms import ChildDetailsForm, PlacementEndForm, PlacementForm
from ehcflow.people.models import Child
from ehcflow.people.services import (
    PLACEMENT_FIELDS,
    DetailsChanged,
    child_update_details,
    placement_end,
    placement_record,
)
from ehcflow.sen2 import spec
from ehcflow.sen2.access import can_change_details, can_import_return, can_use_return, children_readable_by
from ehcflow.sen2.export import person_problems
from ehcflow.sen2.forms import CouncilOfficersForm, DataQualityFilterForm, ReturnFileForm, YearForm, coming_year
from ehcflow.sen2.problems import ERROR, Problem
from ehcflow.sen2.selectors import sen2_data_quality, sen2_quality_summary, sen2_return_events
from ehcflow.sen2.services import (
    council_officers_update,
    sen2_export,
    sen2_import,
    sen2_quality_check,
    sen2_quality_recheck_child,
    sen2_validate,
)

PROBLEMS_SHOWN = 500  # a file's problems on one page; the count says how many more
PAGE_SIZE = 100  # data-quality problems per page
SESSION_KEY = "sen2_import_upload"
UPLOAD_MAX_AGE_SECONDS = 24 * 60 * 60


def _role_required(allowed, what: str):
    """Signed in, council staff, and a role `allowed` (one of `ehcflow.sen2.access`'s predicates) lets through."""

    def decorator(view):
        @login_required
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
        return wrapped

    decorator.__doc__ = what
    return decorator


return_required = _role_required(can_use_return, "A role that makes the council's return.")
import_required = _role_required(can_import_return, "A role that may load a return.")


# --- Problems, each with where it can be fixed ------------------------------------------------------------------

@dataclass(frozen=True)
class ProblemRow:
    problem: Problem
    child_id: int | None  # a child of this council the user may see
    case_id: int | None  # the request's case, for a request's items

    @property
    def is_error(self) -> bool:
        return self.problem.severity == ERROR

    @property
    def is_request_item(self) -> bool:
        return "/Requests" in self.problem.path


def problem_rows(user, problems: list[Problem]) -> list[ProblemRow]:
    """The problems with the child (and case) of this council each concerns, where the user may open them.

    A problem names its child by id when it came from the record, else only by UPN (a file); a UPN held by two
    children links neither. At most three queries, however many problems.
    """
    visible = children_readable_by(user)
    ids = {p.child_id for p in problems if p.child_id}
    upns = {p.upn for p in problems if not p.child_id and p.upn}
    case_ids = {p.case_id for p in problems if p.case_id}
    known = set(visible.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    by_upn: dict[str, list[int]] = {}
    if upns:
        for upn, pk in visible.filter(upn__in=upns).values_list("upn", "pk"):
            by_upn.setdefault(upn, []).append(pk)
    cases = set(cases_visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True)) if case_ids else set()
    rows = []
    for p in problems:
        child_id = p.child_id if p.child_id in known else None
        if child_id is None and not p.child_id and len(by_upn.get(p.upn, ())) == 1:
            child_id = by_upn[p.upn][0]
        rows.append(ProblemRow(p, child_id, p.case_id if p.case_id in cases else None))
    return rows


def errors_first(problems: list[Problem]) -> list[Problem]:
    """Errors before queries, otherwise in the order found (the file's order, or the return's)."""
    return sorted(problems, key=lambda p: p.severity != ERROR)


def _shown(user, problems: list[Problem]) -> dict:
    ordered = errors_first(problems)
    return {"rows": problem_rows(user, ordered[:PROBLEMS_SHOWN]), "more": max(len(ordered) - PROBLEMS_SHOWN, 0)}


# --- The hub and the download -------------------------------------------------------------------------------------

def _hub(request: HttpRequest, year_form: YearForm, status: int = 200, officers_form=None) -> HttpResponse:
    today = timezone.localdate()
    year = coming_year(today)
    la = request.user.la
    return render(request, "sen2/hub.html", {
        "nav": "sen2", "year": year, "census": spec.CENSUS_DATES[year], "report": sen2_quality_summary(la=la, year=year),
        "year_form": year_form, "validate_form": ReturnFileForm(auto_id="validate_%s"),
        "import_form": ReturnFileForm(auto_id="import_%s"), "can_import": can_import_return(request.user),
        "form": year_form, "events": sen2_return_events(la=la),
        "officers_form": officers_form or CouncilOfficersForm(la=la),
    }, status=status)


@import_required
@require_POST
def council_officers(request: HttpRequest) -> HttpResponse:
    """The header's designated medical, clinical and social care officers: the council's settings, kept here."""
    form = CouncilOfficersForm(request.POST, la=request.user.la)
    if not form.is_valid():
        return _hub(request, YearForm(), status=400, officers_form=form)
    council_officers_update(actor=request.user, la=request.user.la, **form.cleaned_data)
    messages.success(request, "The council's designated officers are saved")
    return redirect("sen2_hub")


@return_required
@require_POST
def quality_check_now(request: HttpRequest) -> HttpResponse:
    """Check the record for the coming (or chosen) return now, rather than wait for the nightly check."""
    form = YearForm(request.POST)
    year = form.cleaned_data["year"] if form.is_valid() else coming_year()
    check = sen2_quality_check(la=request.user.la, year=year, actor=request.user)
    messages.success(request, f"The record was checked for the {year} return: {check.errors} errors and "
                              f"{check.queries} queries")
    return redirect(f"{reverse('sen2_data_quality')}?year={year}")


@return_required
def hub(request: HttpRequest) -> HttpResponse:
    """The coming return: its census date, how many errors and queries the record has now, and what to do."""
    return _hub(request, YearForm())


@return_required
def export(request: HttpRequest) -> HttpResponse:
    """The council's return for a year as the XML file the DfE collects, written straight from the record."""
    form = YearForm({"year": request.GET.get("year") or coming_year()})
    if not form.is_valid():
        return _hub(request, form, status=400)
    la, year = request.user.la, form.cleaned_data["year"]
    # Written in full first, then streamed: a failed export sends no half file. FileResponse closes it.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        sen2_export(la=la, year=year, out=out, actor=request.user)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    response = FileResponse(out, as_attachment=True, filename=f"sen2_{la.code}_{year}.xml",
                            content_type="application/xml")
    response["Cache-Control"] = "no-store"  # children's records: never kept by a browser or proxy cache
    return response


# --- Validating a file -------------------------------------------------------------------------------------------

def _upload_form(request: HttpRequest) -> ReturnFileForm:
    return ReturnFileForm(request.POST if request.method == "POST" else None,
                          request.FILES if request.method == "POST" else None)


@return_required
@require_http_methods(["GET", "POST"])
def validate(request: HttpRequest) -> HttpResponse:
    """Check a return file (ours or any other system's) before it is submitted: every error and query."""
    form = _upload_form(request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        upload.seek(0)
        report = sen2_validate(source=upload.file, la=request.user.la, actor=request.user, file_name=upload.name)
        return render(request, "sen2/validate_result.html", {
            "nav": "sen2", "report": report, "file_name": upload.name, **_shown(request.user, report.problems)})
    return render(request, "sen2/validate.html", {"nav": "sen2", "form": form},
                  status=400 if request.method == "POST" else 200)


# --- Loading a return: a dry run, then the import ------------------------------------------------------------------

def _upload_dir() -> Path:
    folder = Path(getattr(settings, "SEN2_UPLOAD_DIR", None) or Path(tempfile.gettempdir()) / "ehcflow-sen2")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    """Remove uploads nobody confirmed within a day (a session ended, a browser closed)."""
    cutoff = time.time() - UPLOAD_MAX_AGE_SECONDS
    for path in folder.glob("*.xml*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass


def _pending_path(pending: dict) -> Path:
    return _upload_dir() / f"{pending['token']}.xml"


def _discard(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        _pending_path(pending).unlink(missing_ok=True)


def _keep_upload(request: HttpRequest, upload) -> dict:
    """Save the upload under a random name for this session, replacing any earlier one of theirs."""
    _discard(request)
    folder = _upload_dir()
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256()
    path = folder / f"{token}.xml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    pending = {"token": token, "sha256": digest.hexdigest(), "name": upload.name[:200], "la_id": request.user.la_id,
               "user_id": request.user.pk}
    request.session[SESSION_KEY] = pending
    return pending


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _import_context(request: HttpRequest, report, **extra) -> dict:
    refused = set(report.refused_persons)
    problems = list(report.refused_persons) + [p for p in report.problems if p not in refused]
    kinds = sorted(set(report.created) | set(report.updated) | set(report.unchanged))
    counts = [(kind, report.created.get(kind, 0), report.updated.get(kind, 0), report.unchanged.get(kind, 0))
              for kind in kinds]
    return {"nav": "sen2", "report": report, "counts": counts, **_shown(request.user, problems), **extra}


@import_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Load a council's return: upload it, and see what a dry run would change before anything is changed."""
    form = _upload_form(request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        pending = _keep_upload(request, upload)
        report = sen2_import(la=request.user.la, source=str(_pending_path(pending)), actor=request.user, dry_run=True,
                             file_name=pending["name"])
        waiting = not report.refused and report.changed  # nothing to confirm: the file is not kept
        if not waiting:
            _discard(request)
        return render(request, "sen2/import_check.html", _import_context(
            request, report, file_name=pending["name"], upload_token=pending["token"] if waiting else None))
    return render(request, "sen2/import.html", {"nav": "sen2", "form": form},
                  status=400 if request.method == "POST" else 200)


@import_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Run the import the dry run showed, once: the file is claimed before it is read, so a second click finds none."""
    pending = request.session.get(SESSION_KEY)
    if (not pending or pending.get("token") != request.POST.get("upload") or pending.get("la_id") != request.user.la_id
            or pending.get("user_id") != request.user.pk):
        return render(request, "sen2/import_gone.html", {"nav": "sen2"}, status=409)
    path = _pending_path(pending)
    claimed = path.with_suffix(".xml.claimed")
    try:
        os.rename(path, claimed)  # atomic: of two clicks at once, one claims the file and the other finds none
    except FileNotFoundError:
        request.session.pop(SESSION_KEY, None)
        return render(request, "sen2/import_gone.html", {"nav": "sen2"}, status=409)
    try:
        if _digest(claimed) != pending["sha256"]:
            return render(request, "sen2/import_gone.html", {"nav": "sen2"}, status=409)
        report = sen2_import(la=request.user.la, source=str(claimed), actor=request.user, dry_run=False,
                             file_name=pending["name"])
    finally:
        claimed.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
    return render(request, "sen2/import_result.html", _import_context(request, report, file_name=pending["name"]))


# --- Data quality -----------------------------------------------------------------------------------------------

@return_required
def data_quality(request: HttpRequest) -> HttpResponse:
    """The coming return's problems, found in the record now, each linked to where it is fixed: errors first."""
    today = timezone.localdate()
    g = request.GET
    raw_year = g.get("year") or str(coming_year(today))
    year_form = YearForm({"year": raw_year}, today=today)
    year = year_form.cleaned_data["year"] if year_form.is_valid() else coming_year(today)
    report = sen2_data_quality(la=request.user.la, year=year)
    by_rule = Counter((p.rule, p.severity) for p in report.problems)
    messages_of: dict[str, str] = {}
    for p in report.problems:
        messages_of.setdefault(p.rule, p.message)
    rules = sorted({rule for rule, _ in by_rule} | ({g["rule"]} if _rule_like(g.get("rule", "")) else set()))
    form = DataQualityFilterForm({"year": raw_year, "severity": g.get("severity", ""), "rule": g.get("rule", "")},
                                 rules=rules, today=today)
    valid = form.is_valid()
    severity = form.cleaned_data.get("severity", "")  # a value that fails its check filters nothing
    rule = form.cleaned_data.get("rule", "")
    chosen = [p for p in report.problems if (not severity or p.severity == severity) and (not rule or p.rule == rule)]
    chosen.sort(key=lambda p: (p.severity != ERROR, p.person_label.lower(), p.rule))
    page = Paginator(chosen, PAGE_SIZE).get_page(g.get("page"))
    params = g.copy()
    params.pop("page", None)
    rule_rows = sorted(((r, s, n, messages_of.get(r, "")) for (r, s), n in by_rule.items()),
                       key=lambda row: (row[1] != ERROR, -row[2], row[0]))
    return render(request, "sen2/data_quality.html", {
        "nav": "sen2", "report": report, "year": year, "census": spec.CENSUS_DATES[year], "form": form,
        "rule_rows": rule_rows, "page": page,
        "rows": problem_rows(request.user, list(page.object_list)), "query": params.urlencode(),
        "severity": severity, "rule": rule, "shown": len(chosen),
    }, status=200 if valid else 400)


def _rule_like(value: str) -> bool:
    return 0 < len(value) <= 20 and all(c.isalnum() or c in "-_." for c in value)


# --- A child's return details -----------------------------------------------------------------------------------

def _child_or_404(user, child_id: int) -> Child:
    child = children_readable_by(user).select_related("team", "coordinator").filter(pk=child_id).first()
    if child is None:
        raise Http404("No such child")
    return child


def _child_page(request: HttpRequest, child: Child, *, form=None, stale: str = "", placement_form=None,
                end_forms: dict | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    can_change = can_change_details(user, child)
    if can_change and form is None:
        form = ChildDetailsForm(child=child)
    placements = list(child.placements.select_related("setting"))
    end_forms = end_forms or {}
    year = coming_year()
    problems = errors_first(person_problems(child, year))
    return render(request, "sen2/child_details.html", {
        "nav": "sen2" if can_use_return(user) else "", "child": child, "form": form if can_change else None,
        "can_change": can_change, "stale": stale, "year": year,
        "problems": problem_rows(user, problems) if problems else [], "can_use_return": can_use_return(user),
        "cases": list(cases_visible_to(user).filter(child=child).order_by("-received_on")),
        "placements": [(p, end_forms.get(p.pk) or (PlacementEndForm(auto_id=f"end{p.pk}_%s")
                                                   if can_change and p.leaving_on is None else None))
                       for p in placements],
        "placement_form": (placement_form or PlacementForm(child=child)) if can_change else None,
    }, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def child_details(request: HttpRequest, child_id: int) -> HttpResponse:
    """What the return says of one child (name, birth, sex, ethnicity, postcode, UPN, ULN or why neither is known,
    where they are educated), the problems the coming return has with them, and the forms to put them right."""
    user = request.user
    child = _child_or_404(user, child_id)
    if request.method == "POST" and not can_change_details(user, child):
        raise PermissionDenied
    RecordView.objects.create(la_id=child.la_id, user=user, child_id=child.pk, what="return details")
    if request.method != "POST":
        return _child_page(request, child)
    form = ChildDetailsForm(request.POST, child=child)
    if form.is_valid():
        try:
            child_update_details(actor=user, child=child, version=form.cleaned_data["version"] or None,
                                 **form.details())
        except NotAllowed:
            raise PermissionDenied from None
        except DetailsChanged as exc:
            child.refresh_from_db()
            return _child_page(request, child, form=ChildDetailsForm(child=child), stale=exc.messages[0],
                               status=409)  # drawn again from the record as it is now
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            sen2_quality_recheck_child(child=child)  # the data-quality list is right at once
            messages.success(request, f"{child.full_name}'s return details saved")
            return redirect("sen2_child", child_id=child.pk)
    return _child_page(request, child, form=form, status=400)


@staff_required
@require_POST
def placement_add(request: HttpRequest, child_id: int) -> HttpResponse:
    """Record where the child is educated (or that they are not), as the return's PlacementDetail."""
    user = request.user
    child = _child_or_404(user, child_id)
    if not can_change_details(user, child):
        raise PermissionDenied
    form = PlacementForm(request.POST, child=child)
    if form.is_valid():
        try:
            placement_record(actor=user, child=child, **{k: form.cleaned_data[k] for k in PLACEMENT_FIELDS})
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            sen2_quality_recheck_child(child=child)
            messages.success(request, f"Placement recorded for {child.full_name}")
            return redirect(f"{reverse('sen2_child', args=[child.pk])}#placements")
    return _child_page(request, child, placement_form=form, status=400)


@staff_required
@require_POST
def placement_leave(request: HttpRequest, child_id: int, placement_id: int) -> HttpResponse:
    """Record the date the child left a placement."""
    user = request.user
    child = _child_or_404(user, child_id)
    if not can_change_details(user, child):
        raise PermissionDenied
    placement = child.placements.filter(pk=placement_id).first()
    if placement is None:
        raise Http404("No such placement")
    form = PlacementEndForm(request.POST, auto_id=f"end{placement.pk}_%s")
    if form.is_valid():
        try:
            placement_end(actor=user, placement=placement, leaving_on=form.cleaned_data["leaving_on"])
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            sen2_quality_recheck_child(child=child)
            messages.success(request, f"{child.full_name} left {placement.where}")
            return redirect(f"{reverse('sen2_child', args=[child.pk])}#placements")
    return _child_page(request, child, end_forms={placement.pk: form}, status=400)
