"""`manage.py check --deploy` is clean with production's environment variables, and only then.

The check runs in a subprocess so the settings module is read afresh from that environment,
as the production server would read it.
"""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_deploy_check(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing of the caller's configuration leaks in: only what production would set.
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV"}
    }
    env.update(
        TREMPLIN_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_environment() -> dict[str, str]:
    return {
        "TREMPLIN_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tremplin.example.org",
        # Field-encryption key (tremplin/privacy/crypto.py): production refuses to start without.
        "TREMPLIN_FIELD_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }


def test_deploy_check_is_clean_in_production(tmp_path):
    result = run_deploy_check(tmp_path, **production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_turning_hsts_preload_off_is_reported_behind_a_proxy(tmp_path):
    # The front-proxy header changes nothing; preload off is a choice the check still reports.
    result = run_deploy_check(
        tmp_path,
        **production_environment(),
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        SECURE_HSTS_PRELOAD="0",
    )
    assert result.returncode == 1
    assert "security.W021" in result.stderr
    assert "security.W004" not in result.stderr


def test_deploy_check_warns_outside_production(tmp_path):
    # The same check on the development defaults finds the HTTP-only settings: it can fail.
    result = run_deploy_check(tmp_path, DEBUG="0")
    assert result.returncode == 1
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in result.stderr, code
