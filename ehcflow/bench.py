"""`make bench`: the figures the issues name, measured on the demo council.

Runs each database in its own process (settings are read once per process): the SQLite demo file
(db.sqlite3, loaded by `make demo`, reused) and a PostgreSQL database `ehcflow_bench` on
127.0.0.1:5432. Server time is measured in-process through Django's test client, which runs the full
middleware, view and template stack without network noise. Prints a table and writes .bench/results.json.
"""

import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/ehcflow_bench")
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "60"))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def measure_backend() -> dict:
    """Runs inside a child process with DATABASE_URL already set."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ehcflow.accounts.models import User
    from ehcflow.cases.access import cases_visible_to
    from ehcflow.cases.models import Case

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("load_demo", verbosity=0)
    load_seconds = time.perf_counter() - started

    rng = random.Random(7)
    results: dict = {"backend": connection.vendor, "load_or_reuse_seconds": round(load_seconds, 1),
                     "active_plans": Case.objects.filter(stage="plan_issued").count(),
                     "cases": Case.objects.count()}

    def timed(client: Client, urls: list[str]) -> dict:
        times, queries = [], set()
        client.get(urls[0])  # warm caches and connections once
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries.add(len(ctx.captured_queries))
        return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 95), 1),
                "max_ms": round(max(times), 1), "queries": sorted(queries), "n": len(times)}

    coordinator = User.objects.get(username="coordinator")
    manager = User.objects.get(username="manager")
    leader = User.objects.get(username="leader")
    held = list(cases_visible_to(coordinator).filter(child__coordinator=coordinator).values_list("pk", flat=True))
    results["coordinator_caseload_size"] = len(held)
    sample = [rng.choice(held) for _ in range(SAMPLES)]
    with_plans = list(Case.objects.filter(pk__in=held, stage="plan_issued").values_list("pk", flat=True))

    c = Client()
    c.force_login(coordinator)
    sorts = ["deadline", "-deadline", "name", "stage"]
    results["caseload"] = timed(c, [f"/caseload/?sort={sorts[i % 4]}&page={1 + i % 3}" for i in range(SAMPLES)])
    results["case_page"] = timed(c, [f"/cases/{pk}/" for pk in sample])
    results["plan_page"] = timed(c, [f"/cases/{rng.choice(with_plans)}/plan/" for _ in range(SAMPLES)])
    m = Client()
    m.force_login(manager)
    results["team_caseload"] = timed(m, [f"/caseload/team/?page={1 + i % 5}" for i in range(SAMPLES)])
    lead = Client()
    lead.force_login(leader)
    results["council_caseload"] = timed(lead, [f"/caseload/team/?page={1 + i % 5}" for i in range(SAMPLES)])
    results["my_work"] = timed(c, ["/work/"] * SAMPLES)
    results["team_work"] = timed(m, ["/work/team/"] * SAMPLES)
    results["council_work"] = timed(lead, ["/work/team/"] * SAMPLES)
    # ehcflow.teams caseloads (issue 4): the page for a manager and for the council, and the council's CSV
    results["caseloads_team"] = timed(m, ["/teams/caseloads/"] * (SAMPLES // 2))
    results["caseloads_council"] = timed(lead, ["/teams/caseloads/"] * (SAMPLES // 2))
    results["caseloads_csv"] = timed(lead, ["/teams/caseloads.csv"] * (SAMPLES // 2))
    results.update(measure_reminders())
    results.update(measure_rebalance())  # ehcflow.teams (issue 4)
    results.update(measure_routing())  # ehcflow.teams (issue 4): routing a new request
    results.update(measure_sen2())  # ehcflow.sen2 (issue 5)
    anon = Client()
    events = ["request_received", "advice_requested", "draft_served", "plan_issued", "review_meeting",
              "la_move_known", "decision_notice_sent"]
    results["calculator_api"] = timed(
        anon, [f"/api/v1/timescales?event={events[i % 7]}&date=2025-0{1 + i % 9}-1{i % 10}" for i in range(SAMPLES * 3)])
    return results


def measure_reminders() -> dict:
    """The nightly bulk refresh of stored deadlines and the reminder scan (issue 3: < 10 s, queries flat)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ehcflow.deadlines.materialise import refresh_all
    from ehcflow.deadlines.models import CaseDeadline
    from ehcflow.reminders.models import Reminder
    from ehcflow.reminders.services import reminders_scan

    out: dict = {}
    connection.queries_log.clear()  # the log keeps 9,000 queries: start empty so none is missed
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        cases = refresh_all()
    out["refresh_deadlines"] = {"seconds": round(time.perf_counter() - t0, 2), "queries": len(ctx.captured_queries),
                                "cases": cases, "open_deadlines": CaseDeadline.objects.count()}
    Reminder.objects.all().delete()
    for label in ("reminder_scan_first", "reminder_scan_again"):
        connection.queries_log.clear()
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            queued = reminders_scan()
        out[label] = {"seconds": round(time.perf_counter() - t0, 2), "queries": len(ctx.captured_queries),
                      "queued": queued}
    Reminder.objects.all().delete()  # leave the demo council as it was: nothing queued to send
    return out


def measure_rebalance() -> dict:
    """ehcflow.teams (issue 4): a leader's rebalance of every team, from the database to a saved proposal
    (target < 5 s), with the moves proposed against the lower bound: as the demo council is, and again with the
    first coordinator of each team away. Each run is rolled back, so the demo council is left as it was."""
    from django.db import transaction
    from django.utils import timezone

    from ehcflow.accounts.models import User
    from ehcflow.teams.models import Team
    from ehcflow.teams.proposals import proposal_rebalance

    leader = User.objects.get(username="leader")
    out: dict = {}
    for label, away in (("rebalance", False), ("rebalance_one_away_per_team", True)):
        with transaction.atomic():
            if away:
                firsts = [User.objects.filter(teams=t, role="coordinator").order_by("pk").first()
                          for t in Team.objects.filter(la_id=leader.la_id, is_active=True)]
                User.objects.filter(pk__in=[u.pk for u in firsts if u]).update(absent_from=timezone.localdate())
            t0 = time.perf_counter()
            proposal = proposal_rebalance(actor=leader, team=None, reason="bench")
            out[label] = {"seconds": round(time.perf_counter() - t0, 2), "solver_ms": proposal.solver_ms,
                          "moves": proposal.summary["moves"], "lower_bound": proposal.lower_bound,
                          "over_target_after": len(proposal.summary["over_target"]),
                          "coordinators": len(proposal.summary["caseloads"])}
            transaction.set_rollback(True)
    return out


def measure_routing() -> dict:
    """ehcflow.teams (issue 4): routing a new request (target < 50 ms): `child_allocate` on a sample of the demo's
    children made new again (team and coordinator cleared): the rules, the child's circumstances, the team's seats,
    siblings, the choice of coordinator and the writes. Each sample is rolled back: the demo is left as it was."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from ehcflow.accounts.models import User
    from ehcflow.people.models import Child
    from ehcflow.teams.allocation import child_allocate

    leader = User.objects.get(username="leader")
    today = timezone.localdate()
    rng = random.Random(11)
    ids = list(Child.objects.filter(la_id=leader.la_id).values_list("pk", flat=True))
    times, queries, allocated = [], set(), 0
    for pk in [rng.choice(ids) for _ in range(SAMPLES)]:
        with transaction.atomic():
            Child.objects.filter(pk=pk).update(team=None, coordinator=None)
            child = Child.objects.get(pk=pk)
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                made = child_allocate(actor=leader, child=child, today=today)
                times.append((time.perf_counter() - t0) * 1000)
            queries.add(len(ctx.captured_queries))
            allocated += made is not None and made.to_coordinator_id is not None
            transaction.set_rollback(True)
    return {"routing": {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 95), 1),
                        "max_ms": round(max(times), 1), "queries": sorted(queries), "n": len(times),
                        "allocated": allocated}}


def _command(args: list[str], env: dict) -> dict:
    """Run a manage.py command in its own process: wall time and that process's own peak memory (VmHWM, read
    from /proc while it runs; a forked child's rusage would count the parent's memory too)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    peak_kb = 0
    status = Path(f"/proc/{proc.pid}/status")
    chunks: list[str] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()), daemon=True)
    reader.start()
    while proc.poll() is None:
        try:
            line = next((x for x in status.read_text().splitlines() if x.startswith("VmHWM:")), "")
            peak_kb = max(peak_kb, int(line.split()[1])) if line else peak_kb
        except (OSError, ValueError, IndexError):
            pass
        time.sleep(0.05)
    reader.join()
    lines = [x for x in "".join(chunks).strip().splitlines() if x.strip()]
    return {"seconds": round(time.perf_counter() - t0, 1), "peak_mb": round(peak_kb / 1024),
            "exit": proc.returncode, "first_line": lines[0][:300] if lines else "",
            "last_line": lines[-1][:300] if lines else ""}


def measure_sen2() -> dict:
    """ehcflow.sen2 (issue 5): the council's 2026 return exported (target < 30 s), validated (< 10 s), imported
    back into the demo council (every person matched, nothing changed) and onboarded into an empty database as a
    council moving onto ehcflow would (< 60 s). Each step is its own process, so its peak memory is its own."""
    from django.conf import settings

    from ehcflow.demo.generator import LA_CODE
    from ehcflow.tenancy.models import LocalAuthority

    la = LocalAuthority.objects.get(code=LA_CODE)
    out_dir = ROOT / ".bench"
    out_dir.mkdir(exist_ok=True)
    xml = out_dir / "sen2_2026.xml"
    env = {**os.environ, "DEBUG": "0"}
    r: dict = {}
    r["sen2_export"] = _command(["sen2_export", "--la", la.code, "--year", "2026", "--output", str(xml)], env)
    r["sen2_export"]["mb"] = round(xml.stat().st_size / 1e6, 1)
    r["sen2_validate"] = _command(["sen2_validate", str(xml)], env)
    r["sen2_import_same_council"] = _command(["sen2_import", "--la", la.code, str(xml)], env)
    # Onboarding: an empty database of the same kind, migrated, with only the council.
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        db = out_dir / "sen2_onboard.sqlite3"
        db.unlink(missing_ok=True)
        onboard_env = {**env, "DATABASE_URL": f"sqlite:///{db}"}
    else:
        name = "ehcflow_bench_onboard"
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        onboard_env = {**env, "DATABASE_URL": PG_URL.rsplit("/", 1)[0] + "/" + name}
    _command(["migrate", "--noinput", "-v0"], onboard_env)
    _command(["shell", "-c", f"from ehcflow.tenancy.models import LocalAuthority as L; "
                             f"L.objects.create(code='{la.code}', name='{la.name}')"], onboard_env)
    r["sen2_import_onboarding"] = _command(["sen2_import", "--la", la.code, str(xml)], onboard_env)
    return r


def ensure_pg_database() -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(PG_URL)
    name = parsed.path.lstrip("/")
    probe = subprocess.run(["psql", "-h", parsed.hostname or "127.0.0.1", "-U", parsed.username or "postgres",
                            "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        print(f"PostgreSQL not reachable ({probe.stderr.strip()}); skipping it.")
        return False
    if probe.stdout.strip() != "1":
        subprocess.run(["createdb", "-h", parsed.hostname or "127.0.0.1", "-U", parsed.username or "postgres", name],
                       check=True)
    return True


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print("RESULT " + json.dumps(measure_backend()))
        return
    runs = []
    backends = [("SQLite", {k: v for k, v in os.environ.items() if k != "DATABASE_URL"})]
    if os.environ.get("BENCH_SQLITE_URL"):  # a copy of the demo file, e.g. to measure a branch
        backends[0][1]["DATABASE_URL"] = os.environ["BENCH_SQLITE_URL"]
    if ensure_pg_database():
        backends.append(("PostgreSQL", {**os.environ, "DATABASE_URL": PG_URL}))
    for label, env in backends:
        print(f"== {label}: loading (or reusing) the demo council and measuring ...", flush=True)
        out = subprocess.run([sys.executable, "-m", "ehcflow.bench", "--child"], env={**env, "DEBUG": "0"},
                             cwd=ROOT, capture_output=True, text=True)
        line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
        if out.returncode != 0 or line is None:
            print(out.stdout[-2000:], out.stderr[-4000:])
            raise SystemExit(f"bench failed on {label}")
        runs.append(json.loads(line[7:]))
    pages = ["caseload", "team_caseload", "council_caseload", "case_page", "plan_page", "my_work", "team_work",
             "council_work", "calculator_api"]
    print()
    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'page':<18}" + "".join(f"{r['backend'] + ' p50/p95 ms (queries)':>38}" for r in runs))
    for page in pages:
        cells = "".join(f"{r[page]['p50_ms']:>12} / {r[page]['p95_ms']:<8} ({','.join(map(str, r[page]['queries']))})"
                        .rjust(38) for r in runs)
        print(f"{page:<18}{cells}")
    for r in runs:
        print(f"{r['backend']}: {r['active_plans']} active plans, {r['cases']} cases; coordinator holds "
              f"{r['coordinator_caseload_size']}; demo load/reuse {r['load_or_reuse_seconds']} s")
    for r in runs:
        for job in ("refresh_deadlines", "reminder_scan_first", "reminder_scan_again"):
            extra = {k: v for k, v in r[job].items() if k not in ("seconds", "queries")}
            print(f"{r['backend']} {job}: {r[job]['seconds']} s, {r[job]['queries']} queries {extra}")
        verdict = "ok" if max(r["reminder_scan_first"]["seconds"], r["reminder_scan_again"]["seconds"]) < 10 \
            else "OVER TARGET"
        print(f"target {r['backend']} reminder scan < 10 s: {verdict}")
    for r in runs:  # ehcflow.teams (issue 4)
        for job in ("rebalance", "rebalance_one_away_per_team"):
            rb = r[job]
            print(f"{r['backend']} {job}: {rb['seconds']} s (solver {rb['solver_ms']} ms), {rb['moves']} moves "
                  f"against a lower bound of {rb['lower_bound']}, {rb['over_target_after']} over target after")
            print(f"target {r['backend']} {job} < 5 s: {'ok' if rb['seconds'] < 5 else 'OVER TARGET'}")
    for r in runs:  # ehcflow.teams (issue 4): routing a new request
        x = r["routing"]
        print(f"{r['backend']} routing a new request: p50 {x['p50_ms']} / p95 {x['p95_ms']} ms "
              f"({','.join(map(str, x['queries']))} queries), {x['allocated']} of {x['n']} given a coordinator; "
              f"target p95 < 50 ms: {'ok' if x['p95_ms'] < 50 else 'OVER TARGET'}")
    sen2_targets = {"sen2_export": 30, "sen2_validate": 10, "sen2_import_same_council": 60,
                    "sen2_import_onboarding": 60}
    for r in runs:  # ehcflow.sen2 (issue 5)
        for job, limit in sen2_targets.items():
            x = r[job]
            print(f"{r['backend']} {job}: {x['seconds']} s, peak {x['peak_mb']} MB, exit {x['exit']}: {x['first_line']}"
                  + (f" ... {x['last_line']}" if x["last_line"] != x["first_line"] else ""))
            print(f"target {r['backend']} {job} < {limit} s: {'ok' if x['seconds'] < limit else 'OVER TARGET'}")
    targets = {"caseload": 150, "case_page": 150, "calculator_api": 20}
    for r in runs:
        for page, limit in targets.items():
            verdict = "ok" if r[page]["p95_ms"] < limit else "OVER TARGET"
            print(f"target {r['backend']} {page} p95 < {limit} ms: {r[page]['p95_ms']} ms {verdict}")
    for r in runs:  # ehcflow.teams caseloads (issue 4): well under a second on the demo council
        for page in ("caseloads_team", "caseloads_council", "caseloads_csv"):
            x = r[page]
            print(f"{r['backend']} {page}: p50 {x['p50_ms']} / p95 {x['p95_ms']} ms ({','.join(map(str, x['queries']))} "
                  f"queries); target p95 < 1000 ms: {'ok' if x['p95_ms'] < 1000 else 'OVER TARGET'}")
    out_dir = ROOT / ".bench"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps({"machine": platform.platform(), "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
