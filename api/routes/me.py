"""``GET /v1/me``: who the presented API key is — its name and role — so a client (the console, a CRM
connector) can show only the actions the key may take. Never returns the key itself."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.auth import ROLE_LEVEL
from api.deps import ReadAccess
from api.inline import HeldFirstRoute

router = APIRouter(prefix="/v1", tags=["auth"], route_class=HeldFirstRoute)


class Caller(BaseModel):
    name: str = Field(examples=["crm-sync"])
    role: Literal["read", "write", "admin"]
    can_write: bool = Field(
        description="may save and delete segments, post events and start analysis runs (write or admin)"
    )
    can_admin: bool = Field(description="may do everything (admin)")


@router.get("/me", response_model=Caller, summary="The calling API key's name and role")
def me(caller: ReadAccess) -> Caller:
    level = ROLE_LEVEL[caller.role]
    return Caller(
        name=caller.name,
        role=caller.role,
        can_write=level >= ROLE_LEVEL["write"],
        can_admin=level >= ROLE_LEVEL["admin"],
    )
