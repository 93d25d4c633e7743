"""The simulated DKP module manager.

Pure decision rules (no I/O, "now" passed in) live in small modules named for one concept:
``versions`` (semver and constraints), ``windows`` (update windows), ``policy`` (update policy
and its resolution), ``taskcalc`` (the task calculator), ``deploytime`` (deploy-time checks),
``requirements`` (release requirements), ``stepbystep`` (which releases a source creates) and
``messages`` (every user-visible text). The controllers call them for every decision; each rule
cites the section of docs/dkp-behaviour.md it implements, and docs/dkp-rules.md records the
choices made where the reference was unverified.
"""
