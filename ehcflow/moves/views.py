"""Recording a plan transferred in from another council (SEND Regulations 2014 reg 15)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ehcflow.cases.access import has_change_role
from ehcflow.cases.views import _add_errors, staff_required
from ehcflow.core.errors import DuplicateSubmission, NotAllowed, StepRefused
from ehcflow.moves import services
from ehcflow.moves.forms import MoveInForm


@staff_required
@require_http_methods(["GET", "POST"])
def move_in(request: HttpRequest) -> HttpResponse:
    if not has_change_role(request.user):
        raise PermissionDenied
    form = MoveInForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.move_in_record(actor=request.user, token=form.cleaned_data["token"],
                                           **form.service_kwargs())
        except DuplicateSubmission as exc:
            messages.info(request, exc.message)
            return redirect("caseload")
        except NotAllowed:
            raise PermissionDenied from None
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Plan transferred in recorded")
            return redirect("case_detail", case_id=case.pk)
    return render(request, "moves/move_in.html", {"form": form, "nav": "move_in"},
                  status=400 if request.method == "POST" else 200)
