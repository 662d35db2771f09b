"""Production settings: no debug, secrets required, demo accounts impossible."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, **env})


def test_production_settings_forbid_demo_accounts_and_debug():
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; import django; django.setup(); "
            "from django.conf import settings; print(settings.DEBUG, settings.DEMO_ALLOWED, settings.SESSION_COOKIE_SECURE)")
    out = run(code, EHCFLOW_ENV="production", SECRET_KEY="x" * 50, ALLOWED_HOSTS="ehc.example.gov.uk")
    assert out.stdout.split() == ["False", "False", "True"], out.stderr


def test_production_settings_require_a_secret_key():
    code = "import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; import django; django.setup()"
    out = run(code, EHCFLOW_ENV="production", ALLOWED_HOSTS="ehc.example.gov.uk")
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr


def test_load_demo_refuses_under_production_settings(tmp_path):
    out = subprocess.run([sys.executable, "manage.py", "load_demo", "--scale", "0.01"], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "EHCFLOW_ENV": "production", "SECRET_KEY": "x" * 50,
                                         "ALLOWED_HOSTS": "h", "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3"})
    assert out.returncode != 0
    assert "never be created under production settings" in out.stderr
