"""`dkp-harness lint`, the name a new user (and the Makefile's habit) reaches for, answered
"invalid choice: 'lint' (choose from …)" without saying that the feature lint is `dkp-harness
steps --lint`; a mistyped command (`rnu`) got no nearest one either."""

from __future__ import annotations

import pytest

from harness.cli import main


@pytest.mark.parametrize(
    ("command", "meant"),
    [
        ("lint", "dkp-harness steps --lint"),
        ("conformance", "dkp-harness run"),
        ("rnu", "dkp-harness run"),
        ("step", "dkp-harness steps"),
    ],
)
def test_an_unknown_command_names_the_one_meant(capsys, command, meant):
    with pytest.raises(SystemExit) as exited:
        main([command])
    assert exited.value.code == 4
    err = capsys.readouterr().err
    assert f"invalid choice: '{command}'" in err
    assert f"did you mean `{meant}`?" in err


def test_a_word_like_no_command_gets_no_guess(capsys):
    with pytest.raises(SystemExit):
        main(["xyzzy"])
    assert "did you mean" not in capsys.readouterr().err
