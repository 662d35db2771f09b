"""Work queues: what a coordinator, a team or the council has to do now. Pages work without JavaScript."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ehcflow.reminders.selectors import work_queue
from ehcflow.teams.selectors import team_filter


def staff_required(view):
    """Signed-in council staff only; anyone else signed in is refused."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_council_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@staff_required
def my_work(request: HttpRequest) -> HttpResponse:
    """My work: deadlines on the children I coordinate."""
    context = work_queue(user=request.user, mine=True)
    context.update(nav="work", title="My work", mine=True)
    return render(request, "reminders/work.html", context)


@staff_required
def team_work(request: HttpRequest) -> HttpResponse:
    """Team work: a manager's team(s), or the whole council for leaders, with a team filter."""
    user = request.user
    teams, team = team_filter(user=user, value=request.GET.get("team"))
    context = work_queue(user=user, mine=False, team=team)
    context.update(nav="work", title="Council work" if user.sees_whole_council else "Team work", mine=False,
                   teams=teams, team=team)
    return render(request, "reminders/work.html", context)
