"""Bedrock's AWS credentials without botocore: profile keys, credential_process, SSO via the AWS CLI.

Real files, real subprocesses (a small Python credential process, a stand-in `aws` executable
on PATH that answers `configure export-credentials` as AWS CLI v2 documents it)."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from llmtui.providers import aws_credentials
from llmtui.providers.aws_credentials import AwsCredentialsError, resolve
from tests.fakes.bedrock_fake import BedrockFake
from tests.fakes.server import FakeServer
from tests.providers.helpers import ask_json

MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0"
PROCESS_JSON = {"Version": 1, "AccessKeyId": "ASIAPROCESS", "SecretAccessKey": "process-secret",
                "SessionToken": "process-token", "Expiration": "2999-01-01T00:00:00Z"}


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    aws_credentials._cache.clear()


def _aws_file(name: str, text: str) -> Path:
    path = Path(os.environ["AWS_CONFIG_FILE" if name == "config" else "AWS_SHARED_CREDENTIALS_FILE"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _process(tmp_path: Path, payload: object, exit_code: int = 0) -> str:
    """A credential_process command that counts its runs and prints `payload`."""
    script = tmp_path / "creds.py"
    script.write_text(
        "import json, pathlib, sys\n"
        f"c = pathlib.Path({str(tmp_path / 'runs')!r}); c.write_text(str(int(c.read_text() or 0) + 1) "
        "if c.exists() else '1')\n"
        f"print(json.dumps({payload!r}))\n"
        f"print('token expired; run aws sso login', file=sys.stderr); sys.exit({exit_code})\n")
    return f"{sys.executable} {script}"


def test_env_keys_win_then_the_profile_keys(tmp_path: Path) -> None:
    _aws_file("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n"
                             "[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = work-secret\n"
                             "aws_session_token = work-token\n")
    found = resolve()
    assert found is not None and (found.access_key, found.secret_key) == ("AKIDFILE", "file-secret")
    work = resolve("work")
    assert work is not None and work.session_token == "work-token"
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"}
    assert resolve("work", env).access_key == "AKIDENV"  # type: ignore[union-attr]
    assert resolve("nobody") is None


def test_credential_process_runs_once_until_near_expiry(tmp_path: Path) -> None:
    _aws_file("config", f"[profile dev]\nregion = eu-west-1\ncredential_process = {_process(tmp_path, PROCESS_JSON)}\n")
    first = resolve("dev")
    assert first is not None and (first.access_key, first.session_token) == ("ASIAPROCESS", "process-token")
    assert resolve("dev") == first
    assert (tmp_path / "runs").read_text() == "1"
    assert aws_credentials.profile_region("dev") == "eu-west-1"


def test_expiring_process_credentials_are_fetched_again(tmp_path: Path) -> None:
    soon = {**PROCESS_JSON, "Expiration": "2000-01-01T00:00:00Z"}
    _aws_file("config", f"[default]\ncredential_process = {_process(tmp_path, soon)}\n")
    resolve()
    resolve()
    assert (tmp_path / "runs").read_text() == "2"


def test_a_failing_process_names_its_stderr_never_its_stdout(tmp_path: Path) -> None:
    _aws_file("config", f"[default]\ncredential_process = {_process(tmp_path, PROCESS_JSON, exit_code=3)}\n")
    with pytest.raises(AwsCredentialsError) as caught:
        resolve()
    assert "exit 3" in str(caught.value) and "run aws sso login" in str(caught.value)
    assert "process-secret" not in str(caught.value)


def _fake_aws_cli(tmp_path: Path) -> dict[str, str]:
    """An `aws` on PATH that answers `configure export-credentials --profile sso-dev --format process`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aws = bin_dir / "aws"
    expected = "configure export-credentials --profile sso-dev --format process"
    aws.write_text(f"#!/bin/sh\nif [ \"$*\" = \"{expected}\" ]; then\n"
                   f"  echo '{json.dumps({**PROCESS_JSON, 'AccessKeyId': 'ASIASSO'})}'\n"
                   "else echo \"unexpected: $*\" >&2; exit 252; fi\n")
    aws.chmod(aws.stat().st_mode | stat.S_IXUSR)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


SSO_CONFIG = ("[profile sso-dev]\nsso_session = corp\nsso_account_id = 111122223333\n"
              "sso_role_name = Dev\nregion = us-west-2\n[sso-session corp]\n"
              "sso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n")


def test_sso_profiles_go_through_the_aws_cli(tmp_path: Path) -> None:
    _aws_file("config", SSO_CONFIG)
    found = resolve("sso-dev", _fake_aws_cli(tmp_path))
    assert found is not None and found.access_key == "ASIASSO"


def test_sso_without_the_aws_cli_says_what_to_install(tmp_path: Path) -> None:
    _aws_file("config", SSO_CONFIG)
    with pytest.raises(AwsCredentialsError, match="needs the AWS CLI v2"):
        resolve("sso-dev", {**os.environ, "PATH": str(tmp_path)})


def test_ask_signs_with_a_profiles_credential_process(tmp_path: Path, write_config) -> None:  # type: ignore[no-untyped-def]
    fake = BedrockFake()
    server = FakeServer(fake).start()
    try:
        _aws_file("config", f"[profile dev]\nregion = us-west-2\ncredential_process = {_process(tmp_path, PROCESS_JSON)}\n")
        write_config(f'[providers.bedrock]\nbase_url = "{server.url}"\nprofile = "dev"\n\n[network]\nmax_retries = 0\n')
        code, data = ask_json("-m", f"bedrock/{MODEL}", "hi", env={})
        assert code == 0, data
        assert data["text"] == "Hello from Bedrock!"
        auth = server.requests[-1].headers["authorization"]
        assert auth.startswith("AWS4-HMAC-SHA256 Credential=ASIAPROCESS/") and "/us-west-2/bedrock/" in auth
        assert server.requests[-1].headers["x-amz-security-token"] == "process-token"
    finally:
        server.stop()


def test_ask_with_a_broken_profile_is_one_auth_line(tmp_path: Path, write_config) -> None:  # type: ignore[no-untyped-def]
    _aws_file("config", SSO_CONFIG)
    write_config('[providers.bedrock]\nbase_url = "http://127.0.0.1:9"\nprofile = "sso-dev"\n')
    code, data = ask_json("-m", f"bedrock/{MODEL}", "hi", env={"PATH": str(tmp_path)})
    assert code == 1
    assert data["error"]["kind"] == "auth" and "AWS CLI v2" in data["error"]["message"]
