"""The DKP API vocabulary: every name DKP's module machinery defines, once, typed.

Kinds (:mod:`.kinds`), labels (:mod:`.labels`), annotations and the Go-bool values they carry
(:mod:`.annotations`), finalizers (:mod:`.finalizers`), phases (:mod:`.phases`), condition types
and reasons (:mod:`.conditions`) and frozen typed views of the objects the decisions read
(:mod:`.views`); the timestamp format is Kubernetes' own (``harness.kube.timestamps``). It sits
below both the simulated controllers (``harness.dkp``) and the scenario steps
(``harness.steps``), so a name DKP renames upstream is a one-line change here;
``tests/api/test_vocabulary.py`` fails when a DKP string literal is written anywhere else. Facts
and upstream sources: docs/dkp-behaviour.md.
"""
