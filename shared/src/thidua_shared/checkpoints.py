"""Signed checkpoints of a service's log: what anchors the hash chain outside the database.

A hash chain alone proves nothing against someone who rewrites a row and recomputes every later hash and the
log head: the rewritten log is consistent. A checkpoint is the log's head (position and hash) signed with the
instance's Ed25519 key (``cryptography``) at a moment; it is kept in the store, published to Kafka on
``thidua.<province>.<service>.checkpoints`` and handed to auditors. An auditor who holds an earlier checkpoint
finds the event at its position with another hash after any rewrite before it, even one with recomputed hashes.

The key is the instance's (one file per service, created on first start, readable by its owner only); its
public key is published at ``/audit/public-key``. The signed message is the canonical JSON (sorted keys, no
spaces) of ``service``, ``position``, ``hash`` and ``signed_at``.
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_shared.hashing import GENESIS, ChainBreak, canonical
from thidua_shared.store.audit import verify_log
from thidua_shared.store.event_store import utc_iso
from thidua_shared.store.tables import checkpoints, log_head


class Checkpoint(BaseModel):
    """A service's log head, signed: whoever holds it can tell whether the log was rewritten before it."""

    service: str
    position: int
    hash: str
    signed_at: str
    key_id: str
    """The first 16 hex digits of the SHA-256 of the raw public key that signed it."""
    signature: str
    """Ed25519 over :meth:`message`, base64."""

    def message(self) -> bytes:
        return signed_message(self.service, self.position, self.hash, self.signed_at)

    def verified_by(self, public_key_pem: str) -> bool:
        key = serialization.load_pem_public_key(public_key_pem.encode())
        if not isinstance(key, Ed25519PublicKey):
            return False
        try:
            key.verify(base64.b64decode(self.signature), self.message())
        except (InvalidSignature, ValueError):
            return False
        return True


def signed_message(service: str, position: int, hash_: str, signed_at: str) -> bytes:
    return canonical({"service": service, "position": position, "hash": hash_, "signed_at": signed_at})


class Signer:
    """The instance's signing key for one service's checkpoints."""

    def __init__(self, service: str, key: Ed25519PrivateKey) -> None:
        self.service = service
        self._key = key
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = hashlib.sha256(raw).hexdigest()[:16]

    @classmethod
    def from_file(cls, service: str, path: Path) -> Signer:
        """The key kept at ``path`` (PEM, PKCS#8), made there on first use, readable by its owner only."""
        if path.exists():
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(loaded, Ed25519PrivateKey):
                raise ValueError(f"{path} does not hold an Ed25519 private key")
            return cls(service, loaded)
        key = Ed25519PrivateKey.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
        return cls(service, key)

    def public_key_pem(self) -> str:
        return self._key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def sign(self, position: int, hash_: str, at: datetime | None = None) -> Checkpoint:
        signed_at = utc_iso(at or datetime.now(UTC))
        signature = self._key.sign(signed_message(self.service, position, hash_, signed_at))
        return Checkpoint(service=self.service, position=position, hash=hash_, signed_at=signed_at,
                          key_id=self.key_id, signature=base64.b64encode(signature).decode())


async def sign_head(engine: AsyncEngine, signer: Signer) -> Checkpoint:
    """Sign the log's head as it is now and keep the checkpoint."""
    async with engine.begin() as connection:
        head = (await connection.execute(select(log_head.c.last_position, log_head.c.last_hash))).first()
        position, hash_ = (int(head[0]), str(head[1])) if head is not None else (0, GENESIS)
        checkpoint = signer.sign(position, hash_)
        await connection.execute(checkpoints.insert().values(
            position=checkpoint.position, hash=checkpoint.hash, signed_at=checkpoint.signed_at,
            key_id=checkpoint.key_id, signature=checkpoint.signature))
    return checkpoint


async def kept(engine: AsyncEngine, service: str) -> list[Checkpoint]:
    """The checkpoints kept, oldest first."""
    async with engine.connect() as connection:
        rows = await connection.execute(select(checkpoints).order_by(checkpoints.c.id))
        return [Checkpoint(service=service, position=int(row.position), hash=str(row.hash),
                           signed_at=str(row.signed_at), key_id=str(row.key_id), signature=str(row.signature))
                for row in rows]


async def sign_if_moved(engine: AsyncEngine, signer: Signer) -> Checkpoint | None:
    """Sign the log's head if it moved since the last checkpoint (or none was signed yet)."""
    async with engine.connect() as connection:
        signed = await connection.scalar(select(checkpoints.c.position).order_by(checkpoints.c.id.desc()).limit(1))
        head = await connection.scalar(select(log_head.c.last_position))
    if signed is not None and int(signed) == int(head or 0):
        return None
    return await sign_head(engine, signer)


async def breaks_since_last_checkpoint(engine: AsyncEngine) -> list[ChainBreak]:
    """The hash chain's breaks after the last checkpoint signed (the whole log when none is): what the service
    checks of its own log before it signs the next (``thidua audit verify`` checks it all, and the signatures)."""
    async with engine.connect() as connection:
        last = (await connection.execute(select(checkpoints.c.position, checkpoints.c.hash)
                                         .order_by(checkpoints.c.id.desc()).limit(1))).first()
    _, breaks = await verify_log(engine, since=(int(last[0]), str(last[1])) if last is not None else None)
    return breaks
