"""Procedure steps a nominee must have passed before it moves up (C-8 step 1): clearance by
the departments (C-9), the unit public notice and its objections. Apps register checks here
(``public`` adds the notice check), so nominations does not import them."""

from collections.abc import Callable

PROCEDURE_CHECKS: list[Callable] = []


def procedure_problems(nominee) -> list[str]:
    problems = []
    for check in PROCEDURE_CHECKS:
        problems += check(nominee)
    return problems
