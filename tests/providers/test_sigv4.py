"""SigV4 against AWS's published signature test-suite vectors (aws-sig-v4-test-suite)."""

from __future__ import annotations

from datetime import UTC, datetime

from llmtui.providers.sigv4 import Credentials, canonical_uri, host_of, sign, signing_key

# The suite's example credentials, clock, region and service.
CREDS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
WHEN = datetime(2015, 8, 30, 12, 36, tzinfo=UTC)
PREFIX = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
          "SignedHeaders=host;x-amz-date, Signature=")


def _auth(method: str, url: str) -> str:
    return sign(method, url, {}, b"", CREDS, "us-east-1", "service", WHEN)["Authorization"]


def test_get_vanilla() -> None:
    assert _auth("GET", "https://example.amazonaws.com/") == (
        PREFIX + "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")


def test_post_vanilla() -> None:
    assert _auth("POST", "https://example.amazonaws.com/") == (
        PREFIX + "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")


def test_get_vanilla_query_order_key_case() -> None:
    assert _auth("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1") == (
        PREFIX + "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")


def test_derived_signing_key() -> None:
    key = signing_key(CREDS.secret_key, "20150830", "us-east-1", "service")
    assert key.hex() == "938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75"


def test_session_token_is_signed_and_sent() -> None:
    creds = Credentials("AKIDEXAMPLE", CREDS.secret_key, "tok/en+=")
    headers = sign("POST", "https://bedrock-runtime.us-west-2.amazonaws.com/model/x/converse-stream",
                   {"content-type": "application/json"}, b"{}", creds, "us-west-2", "bedrock", WHEN)
    assert headers["x-amz-security-token"] == "tok/en+="
    assert "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token" in headers["Authorization"]
    assert "/20150830/us-west-2/bedrock/aws4_request" in headers["Authorization"]
    assert headers["host"] == "bedrock-runtime.us-west-2.amazonaws.com"


def test_bedrock_model_id_path_is_encoded_twice_as_botocore_does() -> None:
    # The URL carries `%3A` for the `:` of a model id; the canonical URI encodes that `%` again.
    assert canonical_uri("/model/anthropic.claude-v2%3A1/converse-stream") == (
        "/model/anthropic.claude-v2%253A1/converse-stream")


def test_host_includes_only_a_non_default_port() -> None:
    assert host_of("https://a.example.com/x") == "a.example.com"
    assert host_of("https://a.example.com:443/x") == "a.example.com"
    assert host_of("http://127.0.0.1:8080/x") == "127.0.0.1:8080"


def test_credentials_repr_hides_the_secret() -> None:
    assert CREDS.secret_key not in repr(CREDS)
