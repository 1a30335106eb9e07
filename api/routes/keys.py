"""``/v1/keys``: list, create and revoke API keys over HTTP (the ``admin`` role only).

The same key file as ``rapport keys`` (see :mod:`usecases.api_keys`): a key created here is returned once,
in the 201 answer, and only its salted hash is kept; a revoked key is refused from the next request on.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from api.deps import AdminAccess, AppSettings
from api.inline import HeldFirstRoute
from api.schemas import iso_time
from graph.errors import NotFound
from usecases.api_keys import KeyFile, StoredKey, key_file_of

router = APIRouter(prefix="/v1/keys", tags=["keys"], route_class=HeldFirstRoute)

KEY_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class KeyCreate(BaseModel):
    name: str = Field(pattern=KEY_NAME_PATTERN, examples=["crm-sync"], description="who holds the key")
    role: Literal["read", "write", "admin"] = "read"


class Key(BaseModel):
    id: str = Field(examples=["3f9a1c2b"])
    name: str
    role: Literal["read", "write", "admin"]
    created_at: int = Field(description="epoch ms")
    created_at_iso = iso_time("created_at")


class KeyCreated(Key):
    key: str = Field(description="the key itself: shown in this answer only, never again")


class KeyList(BaseModel):
    items: list[Key]


def _public(record: StoredKey) -> Key:
    return Key(id=record.id, name=record.name, role=record.role, created_at=record.created_at)


@router.get("", response_model=KeyList, summary="The API keys (never a secret or a hash)")
def list_keys(settings: AppSettings, caller: AdminAccess) -> KeyList:
    return KeyList(items=[_public(k) for k in KeyFile(key_file_of(settings)).read()])


@router.post("", status_code=201, response_model=KeyCreated, summary="Create a key (returned once)")
def create_key(settings: AppSettings, caller: AdminAccess, body: KeyCreate) -> KeyCreated:
    record, secret = KeyFile(key_file_of(settings)).create(body.name, body.role)
    return KeyCreated(**_public(record).model_dump(), key=secret)


@router.delete("/{key_id}", status_code=204, summary="Revoke a key (refused from the next request on)")
def revoke_key(
    settings: AppSettings,
    caller: AdminAccess,
    key_id: Annotated[str, Path(pattern="^[0-9a-f]{8}$", examples=["3f9a1c2b"])],
) -> Response:
    keys = KeyFile(key_file_of(settings))
    if not any(k.id == key_id for k in keys.read()):
        raise NotFound(f"no API key {key_id!r}")
    keys.revoke(key_id)
    return Response(status_code=204)
