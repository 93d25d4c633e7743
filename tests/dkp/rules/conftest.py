"""Truth tables for the pure decision rules of the simulated DKP module manager.

Nothing is faked here and nothing is started: every function under test is pure, so each test
feeds values in and compares the verdict or the exact user-visible text with what DKP produces
(docs/dkp-behaviour.md, the section named in each module's docstring). Parametrize ids are
written as the rule the row checks.
"""
