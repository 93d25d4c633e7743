from __future__ import annotations

import argparse

import pytest

from harness.target.options import (
    TargetOptionsError,
    add_target_arguments,
    forward_target_arguments,
    read_auth,
)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_target_arguments(parser)
    return parser.parse_args(list(argv))


def test_no_kubeconfig_means_the_simulator_and_forwards_nothing():
    assert forward_target_arguments(parse()) == []


def test_kubeconfig_options_are_forwarded_to_pytest_under_the_dkp_prefix(tmp_path):
    args = parse(
        "--kubeconfig",
        str(tmp_path / "kc"),
        "--context",
        "staging",
        "--registry",
        "reg.example:5000/team",
        "--registry-scheme",
        "http",
        "--cluster-registry",
        "registry.svc:5000/team",
        "--run-id",
        "ab123",
    )
    assert forward_target_arguments(args) == [
        f"--dkp-kubeconfig={tmp_path / 'kc'}",
        "--dkp-context=staging",
        "--dkp-registry=reg.example:5000/team",
        "--dkp-registry-scheme=http",
        "--dkp-cluster-registry=registry.svc:5000/team",
        "--dkp-run-id=ab123",
    ]


def test_a_kubeconfig_needs_a_registry_and_the_companions_need_a_kubeconfig(tmp_path):
    with pytest.raises(TargetOptionsError, match="--kubeconfig needs --registry"):
        forward_target_arguments(parse("--kubeconfig", str(tmp_path / "kc")))
    with pytest.raises(
        TargetOptionsError, match=r"^--registry applies only to a real cluster: add --kubeconfig"
    ):
        forward_target_arguments(parse("--registry", "reg:5000"))
    with pytest.raises(TargetOptionsError, match=r"^--registry and --run-id apply only to a real cluster"):
        forward_target_arguments(parse("--registry", "reg:5000", "--run-id", "abc"))
    with pytest.raises(TargetOptionsError, match=r"^--run-id applies only to a real cluster"):
        forward_target_arguments(parse("--run-id", "abc"))


def test_registry_credentials_come_from_the_environment_or_a_file_never_the_command_line(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("QA_REGISTRY_AUTH", "alice:s3cret")
    assert read_auth("env:QA_REGISTRY_AUTH").password == "s3cret"
    secret = tmp_path / "auth"
    secret.write_text("bob:hunter2\n")
    assert read_auth(f"file:{secret}").username == "bob"
    with pytest.raises(TargetOptionsError, match="never go on the command line") as refused:
        read_auth("alice:s3cret")
    assert "s3cret" not in str(refused.value)
    with pytest.raises(TargetOptionsError, match="is not set"):
        read_auth("env:NOT_SET_ANYWHERE_42")


def test_the_forwarded_options_name_the_source_of_the_credentials_not_the_credentials(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_REGISTRY_AUTH", "alice:s3cret")
    args = parse(
        "--kubeconfig", str(tmp_path), "--registry", "r:1", "--registry-auth", "env:QA_REGISTRY_AUTH"
    )
    forwarded = forward_target_arguments(args)
    assert "--dkp-registry-auth=env:QA_REGISTRY_AUTH" in forwarded
    assert not any("s3cret" in arg for arg in forwarded)


def test_a_bad_run_id_is_refused():
    with pytest.raises(TargetOptionsError, match="five lowercase"):
        forward_target_arguments(parse("--kubeconfig", "k", "--registry", "r", "--run-id", "Bad!"))


@pytest.mark.parametrize(
    ("flag", "value", "fix"),
    [
        ("--registry", "http://127.0.0.1:5000", "write --registry 127.0.0.1:5000 --registry-scheme http"),
        ("--registry", "https://registry.example.com/qa/", "write --registry registry.example.com/qa"),
        (
            "--cluster-registry",
            "http://registry.svc:5000/qa",
            "write --cluster-registry registry.svc:5000/qa --registry-scheme http",
        ),
    ],
)
def test_a_registry_given_as_a_url_is_refused_with_the_options_to_write(flag, value, fix):
    """`--registry http://…` was pasted into every reference, and each scenario failed at its
    first push with `Post "https://http:/v2/…": lookup http: no such host`."""
    args = ["--kubeconfig", "k", "--registry", "r:1", flag, value]
    with pytest.raises(TargetOptionsError, match="without a scheme") as refused:
        forward_target_arguments(parse(*args))
    assert str(refused.value).endswith(fix)


def test_a_registry_with_a_user_in_it_is_sent_to_registry_auth():
    with pytest.raises(TargetOptionsError, match="carries a user") as refused:
        forward_target_arguments(parse("--kubeconfig", "k", "--registry", "alice:s3cret@reg:5000/qa"))
    assert "--registry-auth" in str(refused.value)
    assert "s3cret" not in str(refused.value)
