"""The stack floor: a do-nothing typer command taking the same arguments as `ketinteract check`.

typer loads click and pydantic when a command runs, so this is the true start-up cost of the chosen
stack; ketinteract's figures are reported as ratios to it."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer()


@app.command()
def check(
    names: list[str],
    fmt: Annotated[str, typer.Option("--format")] = "text",
) -> None:
    """Do nothing."""


if __name__ == "__main__":
    app()
