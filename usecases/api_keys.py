"""API keys at rest: salted scrypt hashes in a key file, re-read when it changes (rotation without restart).

The key file is ``<data dir>/api-keys.json`` (``RAPPORT_API_KEY_FILE`` to move it), mode 0600,
written atomically (a temporary file renamed over it), managed with ``rapport keys
create|list|revoke``::

    {"version": 1, "keys": [{"id": "3f9a1c2b", "name": "crm", "role": "read",
      "hash": "scrypt$16384$8$1$<salt, base64>$<digest, base64>", "created_at": 1767225600000}]}

A key is ``rk_<id>_<secret>``: ``id`` (8 hex digits) is public (``rapport keys list`` shows it)
and picks the record; ``secret`` is 32 random bytes (URL-safe base64) shown **once**, at
creation, and stored only as ``scrypt(secret, salt, n=2**14, r=8, p=1)`` with a per-key 16-byte
salt (RFC 7914; :func:`hashlib.scrypt`). Digests are compared with :func:`hmac.compare_digest`,
and an unknown id costs the same scrypt as a known one, so timing tells nothing about which ids
exist or how much of a key matched.

scrypt costs ~50 ms by design, too much per request, so :class:`KeyRing` keeps a small cache of
keys it has verified: the SHA-256 of the presented key -> the principal. The cache is emptied
whenever the key file changes (checked on every request by ``os.stat``: modification time, size
and inode), so a revoked key stops working on the next request, without a restart.

Keys can also come from settings (``RAPPORT_API_KEYS``): either pre-hashed (``key_id`` and
``key_hash`` as ``rapport keys create --print-config`` prints them; recommended) or as plain
``key`` (development and tests; compared in constant time with every configured plain key).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from graph.config import ApiKey, Settings
from graph.errors import ConfigError, NotFound

Role = Literal["read", "write", "admin"]
ROLES: tuple[Role, ...] = ("read", "write", "admin")
KEY_FILE_NAME = "api-keys.json"
_PREFIX = "rk_"
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_CACHE_SIZE = 4096


@dataclass(frozen=True)
class StoredKey:
    """One key's record: public id, name and role, and the scrypt hash of its secret."""

    id: str
    name: str
    role: Role
    hash: str
    created_at: int

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "hash": self.hash,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class Verified:
    """Who a verified key belongs to (never the key itself)."""

    name: str
    role: Role
    key_id: str | None


def key_file_of(settings: Settings) -> Path:
    return settings.api_key_file or settings.data_dir / KEY_FILE_NAME


def hash_secret(secret: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$<salt>$<digest>`` of ``secret`` with a new random salt (or ``salt``)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        secret.encode("utf-8", "surrogatepass"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    encode = base64.b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def secret_matches(secret: str, encoded: str) -> bool:
    """Does ``secret`` hash to ``encoded`` (as :func:`hash_secret` wrote it)? Constant-time comparison."""
    try:
        kind, n, r, p, salt, digest = encoded.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            secret.encode("utf-8", "surrogatepass"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY_HASH = hash_secret("never-a-key", salt=b"\0" * 16)


def split_key(presented: str) -> tuple[str, str] | None:
    """``rk_<id>_<secret>`` -> ``(id, secret)``; None for any other form."""
    if not presented.startswith(_PREFIX):
        return None
    key_id, sep, secret = presented[len(_PREFIX) :].partition("_")
    if not sep or len(key_id) != 8 or not secret:
        return None
    return key_id, secret


class KeyFile:
    """The key file: read, add, revoke (atomic rewrites, mode 0600). No caching: see :class:`KeyRing`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self) -> list[StoredKey]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        try:
            data = json.loads(text)
            return [
                StoredKey(
                    id=str(k["id"]),
                    name=str(k["name"]),
                    role=k["role"] if k["role"] in ROLES else "read",
                    hash=str(k["hash"]),
                    created_at=int(k.get("created_at", 0)),
                )
                for k in data["keys"]
            ]
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"the API key file {self.path} is not valid: {exc}") from None

    def _write(self, keys: Sequence[StoredKey]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"version": 1, "keys": [k.as_json() for k in keys]}, indent=2) + "\n"
        descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".api-keys-", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(body)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def create(self, name: str, role: Role) -> tuple[StoredKey, str]:
        """Add a key; returns its record and the full key, which is never stored or shown again."""
        if role not in ROLES:
            raise ConfigError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
        keys = self.read()
        taken = {k.id for k in keys}
        key_id = secrets.token_hex(4)
        while key_id in taken:
            key_id = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        record = StoredKey(key_id, name, role, hash_secret(secret), int(time.time() * 1000))
        self._write([*keys, record])
        return record, f"{_PREFIX}{key_id}_{secret}"

    def revoke(self, key_id_or_name: str) -> list[StoredKey]:
        """Remove the keys with this id (or, if none has it, this name); NotFound if none matches."""
        keys = self.read()
        gone = [k for k in keys if k.id == key_id_or_name] or [k for k in keys if k.name == key_id_or_name]
        if not gone:
            raise NotFound(f"no API key with id or name {key_id_or_name!r} in {self.path}")
        self._write([k for k in keys if k not in gone])
        return gone


def ensure_first_admin_key(path: Path, name: str) -> str | None:
    """Create an ``admin`` key named ``name`` if the key file at ``path`` holds no key yet; the new key,
    or None when keys exist already (the demo's key, created on its first run, is reused after)."""
    keys = KeyFile(path)
    if keys.read():
        return None
    return keys.create(name, "admin")[1]


class KeyRing:
    """Verifies presented keys against the settings' keys and the key file, re-read when it changes.

    Thread-safe; one per application. See the module docstring for the cache.
    """

    def __init__(self, configured: Sequence[ApiKey], key_file: Path | None) -> None:
        self._plain = [(k.key.get_secret_value().encode("utf-8"), k) for k in configured if k.key is not None]
        self._hashed = {k.key_id: k for k in configured if k.key_hash is not None and k.key_id is not None}
        self._file = KeyFile(key_file) if key_file is not None else None
        self._lock = threading.Lock()
        self._signature: tuple[int, int, int] | None = None
        self._stored: dict[str, StoredKey] = {}
        self._verified: OrderedDict[bytes, Verified] = OrderedDict()

    def _refresh(self) -> None:
        """Re-read the key file if it changed since the last look (and forget verified keys then)."""
        if self._file is None:
            return
        try:
            info = os.stat(self._file.path)
            signature = (info.st_mtime_ns, info.st_size, info.st_ino)
        except FileNotFoundError:
            signature = None
        with self._lock:
            if signature == self._signature and (signature is not None or not self._stored):
                return
            self._stored = {k.id: k for k in self._file.read()} if signature is not None else {}
            self._signature = signature
            self._verified.clear()

    def verify(self, presented: str) -> Verified | None:
        """The owner of ``presented``, or None if it is no valid key."""
        self._refresh()
        candidate = presented.encode("utf-8", "surrogatepass")
        fingerprint = hashlib.sha256(candidate).digest()
        with self._lock:
            known = self._verified.get(fingerprint)
            if known is not None:
                self._verified.move_to_end(fingerprint)
                return known
        verified = self._verify_plain(candidate) or self._verify_hashed(presented)
        if verified is not None:
            with self._lock:
                self._verified[fingerprint] = verified
                if len(self._verified) > _CACHE_SIZE:
                    self._verified.popitem(last=False)
        return verified

    def _verify_plain(self, candidate: bytes) -> Verified | None:
        matched: ApiKey | None = None
        for secret, key in self._plain:  # every key is compared, whatever matched before
            if hmac.compare_digest(candidate, secret) and matched is None:
                matched = key
        return None if matched is None else Verified(matched.name, matched.role, None)

    def _verify_hashed(self, presented: str) -> Verified | None:
        parts = split_key(presented)
        key_id, secret = parts if parts is not None else ("", presented)
        stored = self._stored.get(key_id)
        configured = self._hashed.get(key_id)
        encoded = stored.hash if stored else configured.key_hash if configured else _DUMMY_HASH
        matches = secret_matches(secret, encoded or _DUMMY_HASH)  # the same work for an unknown id
        if not matches or parts is None:
            return None
        if stored is not None:
            return Verified(stored.name, stored.role, stored.id)
        assert configured is not None
        return Verified(configured.name, configured.role, key_id)

    @property
    def empty(self) -> bool:
        self._refresh()
        return not (self._plain or self._hashed or self._stored)
