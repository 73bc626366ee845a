"""The production deployment of docs/deploy.md, run for real on this machine.

The environment is deploy/tremplin.env.example and the commands are the ExecStart lines of
deploy/systemd/*.service, with only what a machine's installation changes replaced: the
install directory (/opt/tremplin → this checkout and its virtualenv), the data directories and
port (a temporary directory, a free port), the database (a new one: PostgreSQL on the server of
DATABASE_URL when it names one, else SQLite) and the secrets marked CHANGE-ME (generated). Then
the upgrade steps of the procedure run (migrate, collectstatic), the web server and the task
worker start as their units start them, and the test uses them as the TLS proxy and a user
would: pages, static files, a background task, the scheduler and a verified backup.
"""

import dataclasses
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
INSTALL_DIR = "/opt/tremplin"
ENV_FILE = "/etc/tremplin/tremplin.env"


def unit_settings(path: Path) -> dict[str, str]:
    """A unit file's ``Key=value`` lines (the last one wins, as for these single-valued keys)."""
    settings = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings[key.strip()] = value.strip()
    return settings


def env_example() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "tremplin.env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key] = value
    return values


def test_every_unit_runs_as_tremplin_from_the_install_with_the_environment_file() -> None:
    assert {p.name for p in UNITS} >= {
        "tremplin-web.service",
        "tremplin-worker.service",
        "tremplin-scheduler.service",
        "tremplin-backup.service",
    }
    example = env_example()
    for path in UNITS:
        unit = unit_settings(path)
        assert unit["User"] == "tremplin", path.name
        assert unit["WorkingDirectory"] == INSTALL_DIR, path.name
        assert unit["EnvironmentFile"] == ENV_FILE, path.name
        assert unit["ExecStart"].startswith(f"{INSTALL_DIR}/.venv/bin/"), path.name
        # Every variable a command line uses is defined by the environment file.
        used = set(re.findall(r"\$\{(\w+)\}", unit["ExecStart"]))
        assert used <= example.keys(), (path.name, used - example.keys())
    timer = unit_settings(DEPLOY / "systemd" / "tremplin-backup.timer")
    assert timer["OnCalendar"] and timer["Persistent"] == "true"


def test_every_setting_of_the_environment_file_is_read() -> None:
    """No dead setting in the example: each is read by the settings or by a unit."""
    read = (ROOT / "tremplin" / "settings.py").read_text(encoding="utf-8") + "".join(
        path.read_text(encoding="utf-8") for path in UNITS
    )
    unread = [name for name in env_example() if not re.search(rf"\b{name}\b", read)]
    assert not unread, unread


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database: PostgreSQL on DATABASE_URL's server when there is one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'tremplin.sqlite3'}"
        return
    server, _database = url.rsplit("/", 1)
    name = f"tremplin_deploy_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def machine_environment(tmp_path: Path, database_url: str, port: int) -> dict[str, str]:
    env = env_example()
    assert env["SECRET_KEY"] == env["TREMPLIN_FIELD_KEYS"] == "CHANGE-ME"
    env |= {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "TREMPLIN_FIELD_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "TREMPLIN_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "var" / "private"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
    }
    # What systemd gives a service besides the file: a PATH (pg_dump), a locale.
    env |= {k: v for k, v in os.environ.items() if k in {"PATH", "LANG", "LC_ALL", "HOME"}}
    return env


def command(line: str, env: dict[str, str]) -> list[str]:
    """An ExecStart line as systemd runs it: ${VAR} from the environment, the install
    directory's virtualenv as this checkout's."""

    def expand(variable: re.Match[str]) -> str:
        return env[variable.group(1)]

    words = [re.sub(r"\$\{(\w+)\}", expand, word) for word in shlex.split(line)]
    venv_bin = f"{INSTALL_DIR}/.venv/bin/"
    assert words[0].startswith(venv_bin), words[0]
    return [str(Path(sys.executable).parent / words[0].removeprefix(venv_bin)), *words[1:]]


def unit_command(name: str, env: dict[str, str]) -> list[str]:
    return command(unit_settings(DEPLOY / "systemd" / name)["ExecStart"], env)


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return run([sys.executable, "manage.py", *args], env)


def python(env: dict[str, str], code: str) -> str:
    """The last line ``code`` prints, run by ``manage.py shell`` in the deployed settings."""
    return manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1]


@dataclasses.dataclass
class Response:
    status: int
    headers: Any
    body: bytes


def get(url: str, **headers: str) -> Response:
    """The response (redirects not followed), read whole and closed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as answer:
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, error.headers, error.read())


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the web server stopped"
        try:
            if get(url, **{"X-Forwarded-Proto": "https"}).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_the_deployed_stack_serves_pages_static_files_tasks_and_backups(
    tmp_path: Path, database_url: str
) -> None:
    port = free_port()
    env = machine_environment(tmp_path, database_url, port)
    # The upgrade steps of docs/deploy.md, in its order.
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    processes = []
    try:
        web = subprocess.Popen(unit_command("tremplin-web.service", env), cwd=ROOT, env=env)
        processes.append(web)
        worker = subprocess.Popen(unit_command("tremplin-worker.service", env), cwd=ROOT, env=env)
        processes.append(worker)
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/sante/", web)
        https = {"X-Forwarded-Proto": "https"}

        # Plain HTTP reaching the server is sent to HTTPS (production settings are on).
        plain = get(f"{base}/connexion/")
        assert plain.status == 301 and plain.headers["Location"].startswith("https://")
        login = get(f"{base}/connexion/", **https)
        assert login.status == 200
        assert "Strict-Transport-Security" in login.headers
        html = login.body.decode()
        # Static files under their content-hashed names, served by gunicorn itself, cached
        # for good, and compressed for the browsers that accept it.
        css = re.search(r'href="(/static/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css)"', html)
        assert css, "the page links the hashed stylesheet"
        sheet = get(f"{base}{css.group(1)}", **https, **{"Accept-Encoding": "gzip"})
        assert sheet.status == 200
        assert "immutable" in sheet.headers["Cache-Control"]
        assert sheet.headers["Content-Encoding"] == "gzip"

        # A background task enqueued by the application is run by the worker.
        task_id = python(
            env, "from tremplin.geo.tasks import locate_people; print(locate_people.enqueue([]).id)"
        )
        status_of = (
            "from django_tasks_db.models import DBTaskResult; "
            f"print(DBTaskResult.objects.get(pk={task_id!r}).status)"
        )
        deadline = time.monotonic() + 60
        while (status := python(env, status_of)) != "SUCCESSFUL":
            assert worker.poll() is None, "the worker stopped"
            assert status in ("READY", "RUNNING"), status
            assert time.monotonic() < deadline, f"task still {status} after 60 s"
            time.sleep(1)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    assert web.returncode == 0, "gunicorn stops cleanly on SIGTERM (systemctl stop)"

    # The scheduler's unit command, one pass: the daily jobs are enqueued without error.
    run([*unit_command("tremplin-scheduler.service", env), "--once"], env)
    # The nightly backup, verified by a restore, written where the unit says (moved here).
    backup = unit_command("tremplin-backup.service", env)
    backup[backup.index("--dir") + 1] = str(tmp_path / "backups")
    run(backup, env)
    assert list((tmp_path / "backups").iterdir()), "the backup wrote its file"
