"""JSON-RPC 2.0 over a child process's stdio, framed as the Language Server Protocol frames it
(`Content-Length` headers). Only the framing: what the messages mean to Lean is `session.py`'s."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

Message = dict[str, Any]


class LspStream:
    def __init__(self, writer: asyncio.StreamWriter, reader: asyncio.StreamReader) -> None:
        self._writer = writer
        self._reader = reader

    def send(self, payload: Message) -> None:
        """Queue one message; `drain` waits until the pipe has taken it."""
        body = json.dumps({"jsonrpc": "2.0", **payload}, ensure_ascii=False).encode()
        self._writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def drain(self) -> None:
        """Back-pressure: a large document is not buffered in memory while Lean reads slowly."""
        await self._writer.drain()

    async def messages(self) -> AsyncIterator[Message]:
        """Each message the other side sends, until it closes its stdout."""
        try:
            while True:
                length = None
                while (line := await self._reader.readline()) not in (b"\r\n", b"\n"):
                    if not line:
                        return
                    name, _, value = line.decode().partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length is not None:
                    yield json.loads(await self._reader.readexactly(length))
        except (asyncio.IncompleteReadError, ConnectionError):
            return
