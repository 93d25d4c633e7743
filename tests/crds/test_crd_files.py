"""Static checks of the CRDs in fixtures/crds, without an API server.

The fake API server trusts these files for validation, pruning, defaulting and kubectl tables, so a
mistake here would silently bend every scenario. These tests pin the facts from
docs/dkp-behaviour.md (§1-§9) and the page's kubectl headers, and prove that the page's own YAML
examples are accepted while broken objects are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from harness.kube.fast_yaml import SAFE_LOADER

ROOT = Path(__file__).resolve().parents[2]
CRD_DIR = ROOT / "fixtures" / "crds"
EXAMPLES = Path(__file__).with_name("page_examples.yaml")

# file stem -> (kind, plural, short names)
NAMES = {
    "module-source": ("ModuleSource", "modulesources", ["ms"]),
    "module": ("Module", "modules", []),
    "module-config": ("ModuleConfig", "moduleconfigs", ["mc"]),
    "module-release": ("ModuleRelease", "modulereleases", ["mr"]),
    "module-update-policy": ("ModuleUpdatePolicy", "moduleupdatepolicies", ["mup"]),
    "module-pull-override": ("ModulePullOverride", "modulepulloverrides", ["mpo"]),
    "module-documentation": ("ModuleDocumentation", "moduledocumentations", []),
    "deckhouse-release": ("DeckhouseRelease", "deckhousereleases", []),
}

# file stem -> [(version, served, storage, deprecated)]
VERSIONS = {
    "module-source": [("v1alpha1", True, True, False)],
    "module": [("v1alpha1", True, True, False)],
    "module-config": [("v1alpha1", True, True, False)],
    "module-release": [("v1alpha1", True, True, False)],
    "module-update-policy": [("v1alpha1", True, False, True), ("v1alpha2", True, True, False)],
    "module-pull-override": [("v1alpha1", False, False, True), ("v1alpha2", True, True, False)],
    "module-documentation": [("v1alpha1", True, True, False)],
    "deckhouse-release": [("v1alpha1", True, True, False)],
}

# Header lines kubectl prints for the served preferred version: NAME + upper-cased column names.
# The first four are the page's own headers; the rest follow dkp-behaviour.md §9.
DEFAULT_HEADERS = {
    "module-source": "NAME COUNT SYNC MSG",
    "module": "NAME WEIGHT SOURCE PHASE ENABLED READY",
    "module-release": "NAME PHASE UPDATE POLICY TRANSITIONTIME MESSAGE",
    "module-config": "NAME ENABLED VERSION AGE MESSAGE",
    "module-update-policy": "NAME RELEASE CHANNEL UPDATE MODE",
    "module-pull-override": "NAME UPDATED MESSAGE ROLLBACK",
    "module-documentation": "NAME RESULT",
    "deckhouse-release": "NAME PHASE TRANSITIONTIME MESSAGE",
}
WIDE_HEADERS = {
    "module-source": "NAME COUNT STATUS SYNC MSG",
    "module": "NAME WEIGHT RELEASE CHANNEL SOURCE VERSION PHASE ENABLED DISABLED MESSAGE READY",
    "module-release": "NAME PHASE UPDATE POLICY TRANSITIONTIME MESSAGE",
    "module-config": "NAME ENABLED UPDATEPOLICY SOURCE VERSION AGE MESSAGE",
    "module-update-policy": "NAME RELEASE CHANNEL UPDATE MODE UPDATE WINDOWS",
    "module-pull-override": "NAME UPDATED MESSAGE ROLLBACK",
    "module-documentation": "NAME RESULT",
    "deckhouse-release": "NAME PHASE TRANSITIONTIME MESSAGE",
}

# The only places where DKP data is free-form; everything else must be pruned by the API server.
PRESERVE_UNKNOWN = {
    ("module", "v1alpha1", "properties.requirements"),
    ("module-config", "v1alpha1", "spec.settings"),
    ("module-release", "v1alpha1", "spec.requirements"),
    ("module-release", "v1alpha1", "spec.changelog"),
    ("deckhouse-release", "v1alpha1", "spec.changelog"),
}

OBJECT_META_FIELDS = {"name", "labels", "annotations", "creationTimestamp", "deletionTimestamp", "uid"}

WINDOW_TIME = r"^(?:\d|[01]\d|2[0-3]):[0-5]\d$"
CHANNELS = ["Alpha", "Beta", "EarlyAccess", "Stable", "RockSolid", "Lts"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def load_crds() -> dict[str, dict[str, Any]]:
    """Every CRD file by stem; each file must hold exactly one document."""
    crds = {}
    for path in sorted(CRD_DIR.glob("*.yaml")):
        docs = [d for d in yaml.load_all(path.read_text(), Loader=SAFE_LOADER) if d is not None]
        assert len(docs) == 1, f"{path.name}: expected one document, found {len(docs)}"
        crds[path.stem] = docs[0]
    return crds


CRDS = load_crds()


def version_of(crd: dict[str, Any], name: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [v for v in crd["spec"]["versions"] if v["name"] == name]
    assert len(matches) == 1, f"{crd['metadata']['name']}: version {name} missing or duplicated"
    return matches[0]


def schema_of(stem: str, version: str) -> dict[str, Any]:
    schema: dict[str, Any] = version_of(CRDS[stem], version)["schema"]["openAPIV3Schema"]
    return schema


def storage_version(crd: dict[str, Any]) -> dict[str, Any]:
    stored_versions: list[dict[str, Any]] = [v for v in crd["spec"]["versions"] if v["storage"]]
    (stored,) = stored_versions
    return stored


def all_versions() -> Iterator[tuple[str, str]]:
    for stem, crd in CRDS.items():
        for v in crd["spec"]["versions"]:
            yield stem, v["name"]


def walk(node: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema node with a dotted path; `[]` marks array items, `{}` map values."""
    yield path, node
    for name, child in node.get("properties", {}).items():
        yield from walk(child, f"{path}.{name}" if path else name)
    if isinstance(node.get("items"), dict):
        yield from walk(node["items"], f"{path}[]")
    if isinstance(node.get("additionalProperties"), dict):
        yield from walk(node["additionalProperties"], f"{path}{{}}")


def node_problems(where: str, node: dict[str, Any]) -> list[str]:
    """Structural-schema rules that apply to one node on its own."""
    problems = []
    free = node.get("x-kubernetes-preserve-unknown-fields") or node.get("x-kubernetes-int-or-string")
    if "type" not in node and not free:
        problems.append(f"{where}: no type")
    if "properties" in node and "additionalProperties" in node:
        problems.append(f"{where}: properties and additionalProperties together")
    if node.get("type") == "array" and not isinstance(node.get("items"), dict):
        problems.append(f"{where}: array without items")
    if node.get("x-kubernetes-preserve-unknown-fields") is False:
        problems.append(f"{where}: preserve-unknown-fields may only be true")
    unsupported = [k for k in ("allOf", "anyOf", "oneOf", "not") if k in node]
    problems.extend(f"{where}: {k} is not supported by our API server" for k in unsupported)
    return problems


def structural_problems(schema: dict[str, Any]) -> list[str]:
    """The subset of Kubernetes' structural-schema rules our CRDs could break."""
    problems = [p for path, node in walk(schema) for p in node_problems(path or "<root>", node)]
    meta = schema.get("properties", {}).get("metadata")
    if meta is not None and set(meta) - {"type"}:
        problems.append("metadata: only `type: object` may be declared")
    return problems


def default_problems(schema: dict[str, Any]) -> list[str]:
    """Each `default` must be a valid value of the node that carries it."""
    problems: list[str] = []
    for path, node in walk(schema):
        if "default" in node:
            errors = list(jsonschema.Draft202012Validator(node).iter_errors(node["default"]))
            problems.extend(f"{path}: default {node['default']!r}: {e.message}" for e in errors)
    return problems


def jsonpath_segments(json_path: str) -> list[str]:
    """Split a printer-column JSONPath into field names, `[]` for any index or filter."""
    token = re.compile(r"\.((?:\\.|[^.\[\\])+)|\[[^\]]*\]")
    segments, pos = [], 0
    while pos < len(json_path):
        match = token.match(json_path, pos)
        if match is None:
            raise ValueError(f"cannot parse JSONPath {json_path!r} at {pos}")
        segments.append(match.group(1).replace("\\.", ".") if match.group(1) else "[]")
        pos = match.end()
    return segments


def resolve(schema: dict[str, Any], segments: list[str]) -> dict[str, Any] | None:
    """The schema node a JSONPath reaches, or None when a step is not declared."""
    if segments[:1] == ["metadata"]:
        known = len(segments) >= 2 and segments[1] in OBJECT_META_FIELDS
        return {"type": "string", "format": "date-time"} if known else None
    node: dict[str, Any] | None = schema
    for segment in segments:
        if node is None:
            return None
        if segment == "[]":
            node = node.get("items")
        elif segment in node.get("properties", {}):
            node = node["properties"][segment]
        else:
            node = (
                node.get("additionalProperties")
                if isinstance(node.get("additionalProperties"), dict)
                else None
            )
    return node


def header_line(stem: str, wide: bool) -> str:
    columns = storage_version(CRDS[stem]).get("additionalPrinterColumns", [])
    names = [c["name"].upper() for c in columns if wide or c.get("priority", 0) == 0]
    return " ".join(["NAME", *names])


def validator_for(kind: str, api_version: str) -> jsonschema.Draft202012Validator:
    (stem,) = [s for s, (k, _, _) in NAMES.items() if k == kind]
    group, version = api_version.split("/")
    assert group == "deckhouse.io"
    return jsonschema.Draft202012Validator(schema_of(stem, version))


def page_examples() -> list[dict[str, Any]]:
    return [d for d in yaml.load_all(EXAMPLES.read_text(), Loader=SAFE_LOADER) if d is not None]


# --- shape, names, versions ---------------------------------------------------------------------


def test_there_is_exactly_one_crd_file_per_deckhouse_kind() -> None:
    assert set(CRDS) == set(NAMES)


@pytest.mark.parametrize("stem", sorted(NAMES))
def test_each_crd_is_a_cluster_scoped_deckhouse_kind_with_its_plural_and_short_names(stem: str) -> None:
    crd = CRDS[stem]
    kind, plural, short = NAMES[stem]
    assert crd["apiVersion"] == "apiextensions.k8s.io/v1"
    assert crd["kind"] == "CustomResourceDefinition"
    assert crd["metadata"]["name"] == f"{plural}.deckhouse.io"
    spec = crd["spec"]
    assert spec["group"] == "deckhouse.io"
    assert spec["scope"] == "Cluster"
    assert spec["names"]["kind"] == kind
    assert spec["names"]["plural"] == plural
    assert spec["names"]["singular"] == kind.lower()
    assert spec["names"].get("shortNames", []) == short


@pytest.mark.parametrize("stem", sorted(set(NAMES) - {"module-documentation", "deckhouse-release"}))
def test_each_crd_carries_the_deckhouse_labels(stem: str) -> None:
    assert CRDS[stem]["metadata"]["labels"] == {
        "heritage": "deckhouse",
        "module": "deckhouse",
        "backup.deckhouse.io/cluster-config": "true",
    }


def test_deckhouse_release_carries_its_upstream_labels_and_is_not_backed_up() -> None:
    # Found in the release channel by DKP, not cluster configuration to back up.
    assert CRDS["deckhouse-release"]["metadata"]["labels"] == {"heritage": "deckhouse", "module": "deckhouse"}


def test_module_documentation_carries_its_upstream_labels_and_is_not_backed_up() -> None:
    # DKP renders it from the release, so it is not cluster configuration to back up.
    assert CRDS["module-documentation"]["metadata"]["labels"] == {
        "heritage": "deckhouse",
        "app.kubernetes.io/name": "deckhouse",
        "app.kubernetes.io/part-of": "deckhouse",
    }


@pytest.mark.parametrize("stem", sorted(NAMES))
def test_versions_are_served_stored_and_deprecated_as_dkp_declares(stem: str) -> None:
    got = [
        (v["name"], v["served"], v["storage"], v.get("deprecated", False))
        for v in CRDS[stem]["spec"]["versions"]
    ]
    assert got == VERSIONS[stem]
    for v in CRDS[stem]["spec"]["versions"]:
        has_warning = bool(v.get("deprecationWarning"))
        assert has_warning == v.get("deprecated", False), f"{stem} {v['name']}: warning iff deprecated"


@pytest.mark.parametrize("stem", sorted(NAMES))
def test_the_storage_version_is_the_newest_served_one(stem: str) -> None:
    served = [v["name"] for v in CRDS[stem]["spec"]["versions"] if v["served"]]
    assert storage_version(CRDS[stem])["name"] == max(served)


@pytest.mark.parametrize(("stem", "version"), sorted(all_versions()))
def test_every_kind_with_a_status_has_the_status_subresource(stem: str, version: str) -> None:
    has_status = "status" in schema_of(stem, version).get("properties", {})
    has_subresource = "status" in version_of(CRDS[stem], version).get("subresources", {})
    assert has_status == has_subresource


# --- structural schema, defaults, pruning -------------------------------------------------------


@pytest.mark.parametrize(("stem", "version"), sorted(all_versions()))
def test_every_schema_is_structural(stem: str, version: str) -> None:
    assert structural_problems(schema_of(stem, version)) == []


def test_the_structural_check_reports_untyped_nodes_and_mixed_maps() -> None:
    bad = {
        "type": "object",
        "properties": {
            "spec": {"properties": {"x": {"type": "string"}}},
            "list": {"type": "array"},
            "mixed": {"type": "object", "properties": {}, "additionalProperties": {"type": "string"}},
        },
    }
    assert structural_problems(bad) == [
        "spec: no type",
        "list: array without items",
        "mixed: properties and additionalProperties together",
    ]


@pytest.mark.parametrize(("stem", "version"), sorted(all_versions()))
def test_every_default_is_valid_against_its_own_schema(stem: str, version: str) -> None:
    assert default_problems(schema_of(stem, version)) == []


def test_the_default_check_reports_a_default_outside_its_enum() -> None:
    bad = {"type": "object", "properties": {"mode": {"type": "string", "enum": ["Auto"], "default": "Never"}}}
    problems = default_problems(bad)
    assert len(problems) == 1
    assert problems[0].startswith("mode: default 'Never'")


def test_unknown_fields_are_preserved_only_where_dkp_data_is_free_form() -> None:
    found = {
        (stem, version, path)
        for stem, version in all_versions()
        for path, node in walk(schema_of(stem, version))
        if node.get("x-kubernetes-preserve-unknown-fields")
    }
    assert found == PRESERVE_UNKNOWN


# --- printer columns ----------------------------------------------------------------------------


def test_jsonpath_segments_understand_escaped_dots_and_filters() -> None:
    assert jsonpath_segments(r".metadata.labels.modules\.deckhouse\.io/update-policy") == [
        "metadata",
        "labels",
        "modules.deckhouse.io/update-policy",
    ]
    assert jsonpath_segments(".status.conditions[?(@.type=='IsReady')].status") == [
        "status",
        "conditions",
        "[]",
        "status",
    ]
    with pytest.raises(ValueError, match="cannot parse"):
        jsonpath_segments("status.phase")


@pytest.mark.parametrize(("stem", "version"), sorted(all_versions()))
def test_every_printer_column_points_at_a_declared_field_of_a_matching_type(stem: str, version: str) -> None:
    schema = schema_of(stem, version)
    for column in version_of(CRDS[stem], version).get("additionalPrinterColumns", []):
        node = resolve(schema, jsonpath_segments(column["jsonPath"]))
        assert node is not None, f"{stem} {version} column {column['name']}: {column['jsonPath']} undeclared"
        if column["type"] == "date":
            assert node.get("format") == "date-time", f"{column['name']} is a date but the field is not"
        elif column["type"] in ("integer", "boolean"):
            assert node.get("type") == column["type"], f"{column['name']}: field type {node.get('type')}"


def test_a_printer_column_on_an_undeclared_field_is_detected() -> None:
    schema = schema_of("module-source", "v1alpha1")
    assert resolve(schema, jsonpath_segments(".status.modulesTotal")) is None
    assert resolve(schema, jsonpath_segments(".metadata.nonsense")) is None


@pytest.mark.parametrize("stem", sorted(NAMES))
def test_default_view_columns_give_the_pages_header_line(stem: str) -> None:
    assert header_line(stem, wide=False) == DEFAULT_HEADERS[stem]


@pytest.mark.parametrize("stem", sorted(NAMES))
def test_wide_view_adds_the_priority_one_columns(stem: str) -> None:
    assert header_line(stem, wide=True) == WIDE_HEADERS[stem]


def test_the_module_release_update_policy_column_reads_the_policy_label() -> None:
    (column,) = [
        c
        for c in storage_version(CRDS["module-release"])["additionalPrinterColumns"]
        if c["name"] == "update policy"
    ]
    assert column["jsonPath"] == r".metadata.labels.modules\.deckhouse\.io/update-policy"


# --- field facts from dkp-behaviour.md ----------------------------------------------------------


def test_module_source_registry_needs_a_repo_and_defaults_the_scheme_to_https() -> None:
    registry = schema_of("module-source", "v1alpha1")["properties"]["spec"]["properties"]["registry"]
    assert registry["required"] == ["repo"]
    assert set(registry["properties"]) == {"repo", "dockerCfg", "ca", "scheme"}
    assert registry["properties"]["scheme"]["enum"] == ["HTTP", "HTTPS"]
    assert registry["properties"]["scheme"]["default"] == "HTTPS"


def test_module_source_status_lists_modules_with_their_errors() -> None:
    status = schema_of("module-source", "v1alpha1")["properties"]["status"]["properties"]
    assert status["phase"]["enum"] == ["Active", "Terminating"]
    assert status["syncTime"]["format"] == "date-time"
    assert status["modulesCount"]["type"] == "integer"
    assert set(status["modules"]["items"]["properties"]) == {
        "name",
        "version",
        "checksum",
        "policy",
        "overridden",
        "pullError",
        "error",
    }


def test_module_keeps_its_facts_under_top_level_properties_not_spec() -> None:
    top = schema_of("module", "v1alpha1")["properties"]
    assert "spec" not in top
    props = top["properties"]["properties"]
    assert {
        "weight",
        "source",
        "releaseChannel",
        "stage",
        "version",
        "updatePolicy",
        "availableSources",
        "requirements",
        "disableOptions",
    } <= set(props)
    assert set(props["requirements"]["properties"]) == {"deckhouse", "kubernetes", "bootstrapped", "modules"}
    status = top["status"]["properties"]
    assert status["phase"]["enum"] == [
        "Unavailable",
        "Available",
        "Downloading",
        "DownloadingError",
        "Reconciling",
        "Installing",
        "HooksDisabled",
        "WaitSyncTasks",
        "Downloaded",
        "Conflict",
        "Ready",
        "Error",
    ]
    assert set(status["conditions"]["items"]["properties"]) == {
        "type",
        "status",
        "reason",
        "message",
        "lastProbeTime",
        "lastTransitionTime",
    }


def test_module_release_needs_module_name_and_version_and_has_the_dkp_phases() -> None:
    schema = schema_of("module-release", "v1alpha1")["properties"]
    assert schema["spec"]["required"] == ["moduleName", "version"]
    assert schema["spec"]["properties"]["applyAfter"]["format"] == "date-time"
    assert set(schema["spec"]["properties"]["update"]["properties"]["versions"]["items"]["properties"]) == {
        "from",
        "to",
    }
    assert schema["status"]["properties"]["phase"]["enum"] == [
        "Pending",
        "Deployed",
        "Superseded",
        "Suspended",
        "Skipped",
        "Terminating",
    ]
    assert set(schema["status"]["properties"]) == {
        "phase",
        "message",
        "transitionTime",
        "approved",
        "size",
        "pullDuration",
    }


@pytest.mark.parametrize(
    ("version", "required", "modes", "default_mode"),
    [
        (
            "v1alpha1",
            ["update", "moduleReleaseSelector"],
            ["Auto", "Manual", "Ignore", "AutoPatch"],
            "AutoPatch",
        ),
        ("v1alpha2", ["update"], ["Auto", "Manual", "AutoPatch"], "Auto"),
    ],
)
def test_update_policy_versions_differ_in_required_fields_modes_and_default_mode(
    version: str, required: list[str], modes: list[str], default_mode: str
) -> None:
    spec = schema_of("module-update-policy", version)["properties"]["spec"]
    assert spec["required"] == required
    mode = spec["properties"]["update"]["properties"]["mode"]
    assert (mode["enum"], mode["default"]) == (modes, default_mode)
    channel = spec["properties"]["releaseChannel"]
    assert (channel["enum"], channel["default"]) == (CHANNELS, "Stable")
    window = spec["properties"]["update"]["properties"]["windows"]["items"]["properties"]
    assert window["from"]["pattern"] == window["to"]["pattern"] == WINDOW_TIME
    assert window["days"]["items"]["enum"] == DAYS


def mup(window: dict[str, Any], mode: str = "Auto") -> dict[str, Any]:
    return {
        "apiVersion": "deckhouse.io/v1alpha2",
        "kind": "ModuleUpdatePolicy",
        "metadata": {"name": "p"},
        "spec": {"update": {"mode": mode, "windows": [window]}},
    }


@pytest.mark.parametrize("good", ["9:00", "09:00", "00:00", "23:59"])
def test_update_window_times_accept_one_or_two_digit_hours(good: str) -> None:
    validator = validator_for("ModuleUpdatePolicy", "deckhouse.io/v1alpha2")
    assert list(validator.iter_errors(mup({"from": good, "to": "23:59"}))) == []


@pytest.mark.parametrize("bad", ["24:00", "9:60", "10:5", "10-00", "1000"])
def test_update_window_times_reject_impossible_clock_times(bad: str) -> None:
    validator = validator_for("ModuleUpdatePolicy", "deckhouse.io/v1alpha2")
    assert not validator.is_valid(mup({"from": bad, "to": "23:59"}))


def test_ignore_mode_is_rejected_by_v1alpha2_and_accepted_by_v1alpha1() -> None:
    obj = mup({"from": "1:00", "to": "2:00"}, mode="Ignore")
    assert not validator_for("ModuleUpdatePolicy", "deckhouse.io/v1alpha2").is_valid(obj)
    obj = {**obj, "apiVersion": "deckhouse.io/v1alpha1"}
    obj["spec"] = {
        **obj["spec"],
        "moduleReleaseSelector": {"labelSelector": {"matchLabels": {"module": "m"}}},
    }
    assert validator_for("ModuleUpdatePolicy", "deckhouse.io/v1alpha1").is_valid(obj)


def test_module_config_settings_are_free_form_and_enabled_is_boolean() -> None:
    spec = schema_of("module-config", "v1alpha1")["properties"]["spec"]["properties"]
    assert spec["settings"] == {
        **spec["settings"],
        "type": "object",
        "x-kubernetes-preserve-unknown-fields": True,
    }
    assert spec["enabled"]["type"] == "boolean"
    assert spec["version"]["type"] == "integer"
    assert spec["maintenance"]["enum"] == ["NoResourceReconciliation"]


# --- the page's own examples --------------------------------------------------------------------


def test_page_examples_cover_module_source_both_module_configs_and_the_v1alpha2_policy() -> None:
    kinds = [(d["kind"], d["apiVersion"]) for d in page_examples()]
    assert kinds[:4] == [
        ("ModuleSource", "deckhouse.io/v1alpha1"),
        ("ModuleConfig", "deckhouse.io/v1alpha1"),
        ("ModuleUpdatePolicy", "deckhouse.io/v1alpha2"),
        ("ModuleConfig", "deckhouse.io/v1alpha1"),
    ]


@pytest.mark.parametrize("index", range(len(page_examples())))
def test_each_page_example_validates_against_its_crd_schema(index: int) -> None:
    doc = page_examples()[index]
    errors = [e.message for e in validator_for(doc["kind"], doc["apiVersion"]).iter_errors(doc)]
    assert errors == []


def test_a_module_source_without_repo_is_rejected_with_a_message_naming_repo() -> None:
    source = page_examples()[0]
    del source["spec"]["registry"]["repo"]
    errors = [e.message for e in validator_for("ModuleSource", "deckhouse.io/v1alpha1").iter_errors(source)]
    assert errors == ["'repo' is a required property"]


def test_a_module_source_with_an_unknown_scheme_is_rejected() -> None:
    source = page_examples()[0]
    source["spec"]["registry"]["scheme"] = "FTP"
    assert not validator_for("ModuleSource", "deckhouse.io/v1alpha1").is_valid(source)


def test_a_module_release_without_version_is_rejected() -> None:
    release: dict[str, Any] = {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleRelease",
        "metadata": {"name": "module-one-v1.2.3"},
        "spec": {"moduleName": "module-one"},
    }
    assert not validator_for("ModuleRelease", "deckhouse.io/v1alpha1").is_valid(release)
    release["spec"]["version"] = "1.2.3"
    assert validator_for("ModuleRelease", "deckhouse.io/v1alpha1").is_valid(release)
