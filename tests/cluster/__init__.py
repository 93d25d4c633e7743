"""Tests of the whole simulated cluster (API server, registry, controllers, Deckhouse's workload)."""
