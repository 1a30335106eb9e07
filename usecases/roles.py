"""The ``include`` query parameter of ranked results: which account roles besides customers to show.

Influencer, advocate, detractor, bridge and segment results show customers only by default; brand-owned
accounts, staff and placeholder profiles are added back with ``include=owned,staff,placeholder`` (any
subset). Roles are decided by the analysis (``algorithms.roles``; ``docs/signals.md``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from algorithms.roles import parse_include
from graph.errors import InvalidInput

Include = Annotated[
    str | None,
    Query(
        max_length=64,
        # the schema says what the parser accepts, so a client (and the fuzz test) knows before asking
        pattern=r"^ *(owned|brand_owned|staff|placeholder)? *(, *(owned|brand_owned|staff|placeholder)? *)*$",
        description="roles to add to the customers shown: any of owned, staff, placeholder (comma separated)",
        examples=["owned,staff"],
    ),
]


def roles_of(include: str | None) -> tuple[str, ...]:
    """The roles a result shows, or :class:`~graph.errors.InvalidInput` naming the unknown word."""
    try:
        return parse_include(include)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
