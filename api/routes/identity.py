"""``/v1/customers/{id}/identity``: a customer's identity links, held links and history; unlink, relink.

Thin: the rules (consent, evidence, the log) are :mod:`ingest.identity_ledger`'s. The actor recorded
for a change made here is ``api:<key name>``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.deps import ReadAccess, Store, WriteAccess
from api.inline import HeldFirstRoute
from api.schemas import CustomerIdentity, IdentityChange, IdentityEvent, IdentityLink
from ingest.identity_ledger import held_at_as_linked_at, identity_history, relink, unlink

router = APIRouter(prefix="/v1/customers", tags=["identity"], route_class=HeldFirstRoute)

CustomerId = Annotated[str, Path(min_length=1, max_length=256, examples=["c-1001"])]


def _link(link: dict[str, Any]) -> IdentityLink:
    return IdentityLink.model_validate(
        {k: v for k, v in held_at_as_linked_at(link).items() if k in IdentityLink.model_fields}
    )


def _identity(store: Store, customer_id: str) -> CustomerIdentity:
    found = identity_history(store, customer_id)
    return CustomerIdentity(
        customer_id=customer_id,
        contact_allowed=found.contact_allowed,
        links=[_link(link) for link in found.links],
        held=[_link(link) for link in found.held],
        history=[
            IdentityEvent.model_validate(
                {k: v for k, v in vars(e).items() if k in IdentityEvent.model_fields}
            )
            for e in found.history
        ],
    )


@router.get(
    "/{customer_id}/identity",
    response_model=CustomerIdentity,
    summary="A customer's identity links and history",
)
def get_identity(store: Store, caller: ReadAccess, customer_id: CustomerId) -> CustomerIdentity:
    return _identity(store, customer_id)


@router.post(
    "/{customer_id}/identity/unlink",
    response_model=CustomerIdentity,
    summary="Take a profile link back (logged; needs the write role)",
)
def unlink_profile(
    store: Store, caller: WriteAccess, customer_id: CustomerId, body: IdentityChange
) -> CustomerIdentity:
    unlink(store, customer_id, body.profile_id, actor=f"api:{caller.name}", reason=body.reason)
    return _identity(store, customer_id)


@router.post(
    "/{customer_id}/identity/relink",
    response_model=CustomerIdentity,
    summary="Restore an unlinked profile, or approve a held one (logged; needs the write role)",
    responses={409: {"description": "consent forbids it (code consent_refused), or already linked"}},
)
def relink_profile(
    store: Store, caller: WriteAccess, customer_id: CustomerId, body: IdentityChange
) -> CustomerIdentity:
    relink(
        store,
        customer_id,
        body.profile_id,
        actor=f"api:{caller.name}",
        reason=body.reason,
        override_consent=body.override_consent,
    )
    return _identity(store, customer_id)
