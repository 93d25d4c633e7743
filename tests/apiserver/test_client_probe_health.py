"""The health paths as kube-apiserver 1.32 answers them: ``ok``, the ``?verbose`` check list,
``?exclude=``, and each check's own path; read with the real kubectl (``get --raw``) and plain HTTP."""

from __future__ import annotations

import pytest

from .test_kubectl import cluster  # noqa: F401 - the kubectl fixture

VERBOSE_READYZ_HEAD = [
    "[+]ping ok",
    "[+]log ok",
    "[+]etcd ok",
    "[+]etcd-readiness ok",
    "[+]informer-sync ok",
    "[+]poststarthook/start-apiserver-admission-initializer ok",
]


def test_kubectl_reads_the_readyz_check_list(cluster):  # noqa: F811
    _server, kubectl = cluster
    lines = kubectl("get", "--raw", "/readyz?verbose").stdout.splitlines()
    assert lines[:6] == VERBOSE_READYZ_HEAD, lines
    assert lines[-2:] == ["[+]shutdown ok", "readyz check passed"]
    assert "[+]poststarthook/rbac/bootstrap-roles ok" in lines
    assert all(line.startswith("[+]") and line.endswith(" ok") for line in lines[:-1])


def test_kubectl_reads_livez_and_healthz_without_the_readiness_checks(cluster):  # noqa: F811
    _server, kubectl = cluster
    for root in ("livez", "healthz"):
        lines = kubectl("get", "--raw", f"/{root}?verbose").stdout.splitlines()
        assert lines[:3] == ["[+]ping ok", "[+]log ok", "[+]etcd ok"], lines
        assert lines[-1] == f"{root} check passed"
        assert not {"[+]informer-sync ok", "[+]shutdown ok", "[+]etcd-readiness ok"} & set(lines)
    assert kubectl("get", "--raw", "/readyz").stdout == "ok"


def test_kubectl_reads_a_single_check_and_a_missing_one_is_not_found(cluster):  # noqa: F811
    _server, kubectl = cluster
    assert kubectl("get", "--raw", "/readyz/ping").stdout == "ok"
    assert kubectl("get", "--raw", "/livez/poststarthook/rbac/bootstrap-roles").stdout == "ok"
    missing = kubectl("get", "--raw", "/readyz/nope", ok=False)
    assert missing.returncode == 1
    assert "(NotFound)" in missing.stderr, missing.stderr


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("exclude=etcd&verbose", "[+]etcd excluded: ok"),
        (
            "verbose=1&exclude=etcd&exclude=nope&exclude=a",
            'warn: some health checks cannot be excluded: no matches for "a","nope"',
        ),
    ],
)
def test_excluded_checks_are_marked_and_unknown_ones_warned(http, query, expected):
    answer = http.get(f"/readyz?{query}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert expected in answer.text.splitlines()
    assert answer.text.endswith("readyz check passed\n")


def test_without_verbose_an_exclusion_still_answers_ok(http):
    assert http.get("/livez?exclude=etcd").text == "ok"
    assert http.get("/readyz/").status_code == 404
