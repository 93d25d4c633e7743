"""The simulated DKP module manager, in four parts (docs/architecture.md, "The simulation core").

- ``rules``: pure decisions, "now" passed in (versions, windows, policies, task calculator,
  deploy-time checks, requirements, step-by-step, messages, next-check times, and the release
  controller's pipeline as a :class:`~harness.dkp.rules.release.Plan`);
- ``controllers``: one module per DKP controller: gather a snapshot, call the rule, apply the plan;
- ``runtime``: the manager, work queue, predicates, read recorder, Deckhouse log, settings;
- ``images``: the registry seam (``RegistryReader``) and an in-memory registry for unit tests.

Each rule cites the section of docs/dkp-behaviour.md it implements; docs/dkp-rules.md records the
choices made where upstream was ambiguous.
"""
