"""The report model: Run → Feature → Scenario → Step, plus the claims and the step catalogue.

The model is built once at the end of a session and handed to every renderer, so the HTML, JSON,
JUnit and Cucumber files cannot disagree. It round-trips through plain JSON-able dicts
(:meth:`Scenario.to_dict` / :meth:`Scenario.from_dict`): that is how a pytest-xdist worker ships a
scenario to the controller, and the JSON report is exactly :meth:`Run.to_dict`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from harness.report.claims import Claim, Page
from harness.report.evidence import Evidence
from harness.report.run_target import deckhouse_era
from harness.report.status import CLAIM_ORDER, SCENARIO_ORDER, Status, worst

__all__ = [
    "BEYOND_PAGE_TAG",
    "CHECKED_NOTHING_COUNT",
    "DEFAULT_TARGET",
    "NEEDS_VIRTUAL_TIME",
    "NEEDS_VIRTUAL_TIME_COUNT",
    "OTHER_ERA",
    "OTHER_ERA_COUNT",
    "PARSE_PHASE",
    "ClaimResult",
    "ErrorInfo",
    "FeatureResult",
    "Run",
    "ScenarioResult",
    "StepCatalogueEntry",
    "StepResult",
    "needs_virtual_time",
    "other_era",
    "unchecked_pass",
    "unreadable",
]

#: How the target plugin starts the skip reason of a scenario that only virtual time can run
#: (e.g. "wait three minutes" against a real cluster); the report counts those apart.
NEEDS_VIRTUAL_TIME = "needs virtual time:"
#: The key of that count in ``Run.scenario_counts()`` and the JSON's ``counts.scenarios``.
NEEDS_VIRTUAL_TIME_COUNT = "needs_virtual_time"
#: How the era plugin starts the skip reason of a scenario about other Deckhouse versions
#: (``@deckhouse-since:`` / ``@deckhouse-before:``); the report counts those apart.
OTHER_ERA = "checks Deckhouse "
#: The key of that count in ``Run.scenario_counts()`` and the JSON's ``counts.scenarios``.
OTHER_ERA_COUNT = "other_era"
#: The key, in ``Run.scenario_counts()`` and the JSON's ``counts.scenarios``, of the scenarios that
#: passed without a ``Then`` step that passed: they checked nothing (:func:`unchecked_pass`).
CHECKED_NOTHING_COUNT = "checked_nothing"
#: What a run without target information checked: the simulator, on virtual time.
DEFAULT_TARGET = {"kind": "simulator", "time_mode": "virtual"}
#: The ``ErrorInfo.phase`` of the entry standing for a feature file that is not valid Gherkin.
PARSE_PHASE = "parse"


def unreadable(scenario: ScenarioResult) -> bool:
    """The entry stands for a feature file that could not be parsed, not for a scenario."""
    return scenario.error is not None and scenario.error.phase == PARSE_PHASE


def other_era(scenario: ScenarioResult) -> bool:
    """A scenario skipped because it is about other Deckhouse versions than the run's."""
    reason = (scenario.skip_reason or "").strip()
    return scenario.status is Status.SKIPPED and reason.startswith(OTHER_ERA)


def unchecked_pass(scenario: ScenarioResult) -> bool:
    """A scenario that passed without a ``Then`` step that passed: it checked nothing, so a claim
    it is tagged with must not be said to hold on its account (the step lint warns of such
    scenarios too), nor may the scenario be counted among those that hold. A ``But the page
    says: …`` step of a passing ``@deviation`` scenario is reached but not checked (it is shown as
    skipped), so it does not count as a check."""
    passed = scenario.status in (Status.PASSED, Status.DEVIATION)
    return passed and not any(step.type == "then" and step.status is Status.PASSED for step in scenario.steps)


def needs_virtual_time(scenario: ScenarioResult) -> bool:
    """A scenario skipped because the target cannot move time (a real cluster)."""
    reason = (scenario.skip_reason or "").strip()
    return scenario.status is Status.SKIPPED and reason.startswith(NEEDS_VIRTUAL_TIME)


BEYOND_PAGE_TAG = "beyond-page"
"""The tag of a scenario that checks DKP behaviour the page does not describe (a case of DKP's own
controller tests, say): no claim counts it, and the report lists it as such instead of asking for
a claim tag it cannot have."""


@dataclass
class StepResult:
    """One Gherkin step as it ran (or ``skipped`` when an earlier step stopped the scenario)."""

    keyword: str
    type: str
    name: str
    line: int
    status: Status = Status.SKIPPED
    duration: float = 0.0
    docstring: str | None = None
    datatable: list[list[str]] | None = None
    error: str | None = None
    function: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepResult:
        return cls(**{**data, "status": Status(data["status"])})


@dataclass
class ErrorInfo:
    """Why a scenario did not pass: where (phase, step line), what (type, message) and the traceback."""

    phase: str
    type: str
    message: str
    traceback: str = ""
    step_line: int | None = None


_NO_EVIDENCE = Evidence()
"""Stands in for a scenario's evidence while the rest of it is turned into a dict."""


@dataclass
class ScenarioResult:
    """A scenario (one row of an outline's examples counts as one scenario)."""

    nodeid: str
    name: str
    feature_name: str
    feature_uri: str
    line: int
    status: Status
    tags: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    deviation: bool = False
    duration: float = 0.0
    steps: list[StepResult] = field(default_factory=list)
    error: ErrorInfo | None = None
    evidence: Evidence = field(default_factory=Evidence)
    description: str = ""
    example: dict[str, str] = field(default_factory=dict)
    feature_line: int = 1
    feature_description: str = ""
    feature_tags: list[str] = field(default_factory=list)
    skip_reason: str | None = None
    #: The reason of a pytest ``xfail`` mark the scenario carried (``""`` without one), else None:
    #: the report takes no failure as expected, so the status is what the steps did.
    xfail: str | None = None
    #: The status of each run, in order, when the session ran the scenario more than once (a
    #: rerun, a node id given twice); the result shown is the worst run's. Empty for one run.
    attempts: list[str] = field(default_factory=list)
    #: For a failed ``@deviation`` scenario with ``But the page says: …`` steps: what checking them
    #: found (``met``: DKP now matches the page, ``not_met``, ``error``); None when not checked
    #: (``harness.report.page_expectation``).
    page_expectation: str | None = None

    @property
    def anchor(self) -> str:
        """A stable HTML id for links from the claims table."""
        safe = "".join(ch if ch.isalnum() else "-" for ch in self.nodeid)
        return f"sc-{safe.strip('-')}"

    @property
    def failing_step(self) -> StepResult | None:
        return next((s for s in self.steps if s.status in (Status.FAILED, Status.ERROR)), None)

    def to_dict(self) -> dict[str, Any]:
        # The evidence has its own (bounded, redacting) form: ``asdict`` copying it first, only to
        # be thrown away, was most of the time a report spent turning scenarios into JSON.
        data = asdict(replace(self, evidence=_NO_EVIDENCE))
        data["evidence"] = self.evidence.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScenarioResult:
        error = data.get("error")
        return cls(
            **{
                **data,
                "status": Status(data["status"]),
                "steps": [StepResult.from_dict(s) for s in data.get("steps", [])],
                "error": ErrorInfo(**error) if error else None,
                "evidence": Evidence.from_dict(data.get("evidence", {})),
            }
        )


@dataclass
class FeatureResult:
    """A feature file and its scenarios; its status is the worst of theirs."""

    name: str
    uri: str
    line: int
    description: str
    tags: list[str]
    scenarios: list[ScenarioResult]

    @property
    def status(self) -> Status:
        return worst(s.status for s in self.scenarios)


@dataclass
class ClaimResult:
    """A documented claim with the scenarios that check it and whether it holds."""

    claim: Claim
    status: Status
    scenarios: list[str]
    link: str | None = None
    #: For a claim with a deviation reason: True when a ``@deviation`` scenario of it passed (DKP
    #: still differs from the page as recorded), False when one did not pass (the recorded
    #: deviation was not observed), None when none ran or the claim has no reason.
    deviation_observed: bool | None = None
    #: For a claim with a deviation reason whose ``@deviation`` scenario did not pass: True when
    #: the page's expectation it writes (``But the page says: …``) was then met (DKP now matches
    #: the page: the deviation is fixed), False when it was not met either, None when not checked.
    deviation_fixed: bool | None = None
    #: In a partial run: how many scenarios checking this claim the selection left out, so a
    #: claim that "holds" on one of its three scenarios says the other two were not asked.
    left_out: int = 0


@dataclass(frozen=True)
class StepCatalogueEntry:
    """One step definition the step library offers to scenario authors.

    ``function`` (``module:qualname``) lets the report count ``used_by`` from the run when the
    library does not supply the count itself.
    """

    pattern: str
    kind: str
    doc: str = ""
    example: str = ""
    used_by: int | None = None
    function: str | None = None


@dataclass
class Run:
    """Everything one report shows; built by :func:`harness.report.assemble.assemble_run`."""

    title: str
    page: Page | None
    started_at: str
    duration: float
    features: list[FeatureResult]
    claims: list[ClaimResult]
    problems: list[str] = field(default_factory=list)
    step_catalogue: list[StepCatalogueEntry] | None = None
    environment: dict[str, str] = field(default_factory=dict)
    #: What the run checked (see ``harness.report.run_target``); the simulator when unknown.
    target: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TARGET))
    #: True when a filter (-k, -m, --claim, feature paths, node ids) left scenarios out.
    partial: bool = False
    #: The filters used, as given: ``{"paths": [...], "keyword": "...", "markexpr": "...", ...}``.
    selection: dict[str, Any] = field(default_factory=dict)
    #: ``--fail-on-deviation``: a known deviation fails the run (and is a failure in junit.xml).
    fail_on_deviation: bool = False

    @property
    def scenarios(self) -> list[ScenarioResult]:
        return [s for f in self.features for s in f.scenarios]

    @property
    def status(self) -> Status:
        return worst(s.status for s in self.scenarios)

    def scenario_counts(self) -> dict[str, int]:
        """Scenarios per status; skips that need virtual time or another Deckhouse version, and
        passes that checked nothing (no ``Then`` step passed), are counted apart."""
        counts = {s.value: 0 for s in SCENARIO_ORDER}
        counts[NEEDS_VIRTUAL_TIME_COUNT] = 0
        counts[OTHER_ERA_COUNT] = 0
        counts[CHECKED_NOTHING_COUNT] = 0
        for scenario in self.scenarios:
            key = scenario.status.value
            if needs_virtual_time(scenario):
                key = NEEDS_VIRTUAL_TIME_COUNT
            elif other_era(scenario):
                key = OTHER_ERA_COUNT
            elif unchecked_pass(scenario):
                key = CHECKED_NOTHING_COUNT
            counts[key] += 1
        return counts

    def beyond_page_count(self) -> int:
        """Scenarios tagged ``@beyond-page``: they check DKP behaviour the page does not describe,
        so no claim counts them; the report says how many there are instead of listing each."""
        return sum(BEYOND_PAGE_TAG in scenario.tags for scenario in self.scenarios)

    def claim_counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in CLAIM_ORDER}
        for claim in self.claims:
            counts[claim.status.value] += 1
        return counts

    def not_applicable_claims(self) -> list[str]:
        """The IDs of the claims about other Deckhouse versions than the run's, in catalogue order:
        neither checked nor held, and counted apart (the HTML's "not applicable to Deckhouse …")."""
        return [c.claim.id for c in self.claims if c.status is Status.NOT_APPLICABLE]

    def to_dict(self) -> dict[str, Any]:
        """The JSON twin: the same model the HTML shows."""
        return {
            "title": self.title,
            "page": asdict(self.page) if self.page else None,
            "started_at": self.started_at,
            "duration": round(self.duration, 3),
            "status": self.status.value,
            "partial": self.partial,
            "selection": dict(sorted(self.selection.items())),
            "target": dict(sorted(self.target.items())),
            "counts": {
                "scenarios": self.scenario_counts(),
                "claims": self.claim_counts(),
                "beyond_page": self.beyond_page_count(),
            },
            "not_applicable": {"to": deckhouse_era(self.target), "claims": self.not_applicable_claims()},
            "environment": dict(sorted(self.environment.items())),
            "claims": [_claim_dict(c) for c in self.claims],
            "features": [_feature_dict(f) for f in self.features],
            "problems": list(self.problems),
            "step_catalogue": (
                None if self.step_catalogue is None else [asdict(e) for e in self.step_catalogue]
            ),
        }


def _claim_dict(result: ClaimResult) -> dict[str, Any]:
    return {
        **asdict(result.claim),
        "status": result.status.value,
        "scenarios": result.scenarios,
        "link": result.link,
        "deviation_observed": result.deviation_observed,
        "deviation_fixed": result.deviation_fixed,
        "left_out": result.left_out,
    }


def _feature_dict(feature: FeatureResult) -> dict[str, Any]:
    return {
        "name": feature.name,
        "uri": feature.uri,
        "line": feature.line,
        "description": feature.description,
        "tags": feature.tags,
        "status": feature.status.value,
        "scenarios": [s.to_dict() for s in feature.scenarios],
    }
