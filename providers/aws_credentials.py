"""AWS credentials for Bedrock without botocore: env keys, a profile's keys, `credential_process`,
and SSO / role profiles through the AWS CLI (`aws configure export-credentials`).

Order, as the AWS SDKs look: the env access keys; then the profile (`[providers.bedrock]
profile`, else `AWS_PROFILE`, else `default`) from `~/.aws/credentials` and `~/.aws/config`
(`AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE` move them): its static keys, else its
`credential_process` (run directly, no shell), else, for SSO or assumed-role profiles, the
AWS CLI v2 if it is installed. Process output follows the documented format:
`{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
Blocking (files, subprocesses): callers run `resolve` in a thread. Results are cached until
five minutes before they expire.
"""

from __future__ import annotations

import configparser
import json
import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from llmtui.providers.sigv4 import Credentials

PROCESS_TIMEOUT_S = 60.0
_REFRESH_EARLY_S = 300.0
_SSO_OR_ROLE = ("sso_session", "sso_start_url", "sso_account_id", "role_arn", "web_identity_token_file",
                "source_profile")

_cache: dict[tuple[str, str, str], tuple[Credentials, float]] = {}


class AwsCredentialsError(Exception):
    """A profile names a way to get credentials that failed; the message says how to fix it."""


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def profile_name(configured: str | None, env: Mapping[str, str] | None = None) -> str:
    return configured or _env(env).get("AWS_PROFILE") or _env(env).get("AWS_DEFAULT_PROFILE") or "default"


def _files(env: Mapping[str, str]) -> tuple[Path, Path]:
    home = Path(env.get("HOME") or Path.home())
    creds = env.get("AWS_SHARED_CREDENTIALS_FILE") or str(home / ".aws" / "credentials")
    config = env.get("AWS_CONFIG_FILE") or str(home / ".aws" / "config")
    return Path(creds).expanduser(), Path(config).expanduser()


def _section(path: Path, name: str) -> dict[str, str]:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return {}
    return dict(parser[name]) if parser.has_section(name) else {}


def profile(name: str, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The profile's settings: ~/.aws/config's `[profile NAME]` (or `[default]`) overlaid by
    ~/.aws/credentials' `[NAME]`."""
    env = _env(env)
    creds_file, config_file = _files(env)
    in_config = _section(config_file, "default" if name == "default" else f"profile {name}")
    if not in_config and name == "default":
        in_config = _section(config_file, "profile default")
    return {**in_config, **_section(creds_file, name)}


def profile_region(name: str, env: Mapping[str, str] | None = None) -> str | None:
    return profile(name, env).get("region") or None


def configured(name: str, env: Mapping[str, str] | None = None) -> bool:
    """Whether env keys or the profile name some way to get credentials (no process is run)."""
    env = _env(env)
    if env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        return True
    found = profile(name, env)
    return bool(("aws_access_key_id" in found and "aws_secret_access_key" in found)
                or "credential_process" in found or any(k in found for k in _SSO_OR_ROLE))


def _expiry(value: object) -> float:
    if not isinstance(value, str):
        return float("inf")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return float("inf")


def parse_process_output(text: str, what: str) -> tuple[Credentials, float]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise AwsCredentialsError(f"{what} did not print JSON credentials") from None
    if not isinstance(data, dict) or data.get("Version") != 1:
        raise AwsCredentialsError(f"{what} printed JSON without \"Version\": 1")
    access, secret, token = data.get("AccessKeyId"), data.get("SecretAccessKey"), data.get("SessionToken")
    if not (isinstance(access, str) and access and isinstance(secret, str) and secret):
        raise AwsCredentialsError(f"{what} printed no AccessKeyId / SecretAccessKey")
    return Credentials(access, secret, token if isinstance(token, str) and token else None), \
        _expiry(data.get("Expiration"))


def _run(argv: list[str], what: str, env: Mapping[str, str]) -> tuple[Credentials, float]:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=PROCESS_TIMEOUT_S,
                              env=dict(env), stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError:
        raise AwsCredentialsError(f"{what}: {argv[0]} not found") from None
    except subprocess.TimeoutExpired:
        raise AwsCredentialsError(f"{what} took over {PROCESS_TIMEOUT_S:g}s") from None
    if done.returncode != 0:
        # stderr is a program's words (e.g. "run aws sso login"); never stdout, which may hold keys.
        last = (done.stderr.strip().splitlines() or [""])[-1][:300]
        raise AwsCredentialsError(f"{what} failed (exit {done.returncode}){': ' + last if last else ''}")
    return parse_process_output(done.stdout, what)


def _from_profile(name: str, env: Mapping[str, str]) -> tuple[Credentials, float] | None:
    found = profile(name, env)
    if found.get("aws_access_key_id") and found.get("aws_secret_access_key"):
        token = found.get("aws_session_token") or None
        return Credentials(found["aws_access_key_id"], found["aws_secret_access_key"], token), float("inf")
    if found.get("credential_process"):
        argv = shlex.split(found["credential_process"])
        return _run(argv, f"credential_process of AWS profile {name!r}", env)
    if any(k in found for k in _SSO_OR_ROLE):
        aws = shutil.which("aws", path=env.get("PATH"))
        if aws is None:
            raise AwsCredentialsError(
                f"AWS profile {name!r} uses SSO or an assumed role, which needs the AWS CLI v2 "
                "(`aws configure export-credentials`); install it, or export AWS_ACCESS_KEY_ID / "
                "AWS_SECRET_ACCESS_KEY")
        argv = [aws, "configure", "export-credentials", "--profile", name, "--format", "process"]
        return _run(argv, f"`aws configure export-credentials --profile {name}` "
                          f"(for SSO: run `aws sso login --profile {name}` first)", env)
    return None


def resolve(configured_profile: str | None = None,
            env: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials to sign with, or None if nothing is configured. Raises AwsCredentialsError."""
    env = _env(env)
    if env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        return Credentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"],
                           env.get("AWS_SESSION_TOKEN") or None)
    name = profile_name(configured_profile, env)
    creds_file, config_file = _files(env)
    cache_key = (name, str(creds_file), str(config_file))
    cached = _cache.get(cache_key)
    if cached is not None and cached[1] - _REFRESH_EARLY_S > time.time():
        return cached[0]
    found = _from_profile(name, env)
    if found is None:
        return None
    _cache[cache_key] = found
    return found[0]


def describe(configured_profile: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """Where Bedrock's AWS credentials would come from, without running anything (for doctor)."""
    env = _env(env)
    if env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        return "env AWS_ACCESS_KEY_ID"
    name = profile_name(configured_profile, env)
    found = profile(name, env)
    if found.get("aws_access_key_id"):
        return f"profile {name}: static keys"
    if found.get("credential_process"):
        return f"profile {name}: credential_process"
    if any(k in found for k in _SSO_OR_ROLE):
        cli = "AWS CLI found" if shutil.which("aws", path=env.get("PATH")) else "AWS CLI missing"
        return f"profile {name}: SSO / role via aws configure export-credentials ({cli})"
    return f"none (no env keys, no usable profile {name!r})"
