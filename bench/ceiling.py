"""A trivial keep-alive HTTP/1.1 client hammering one URL: the ceiling of a fake server.

    python bench/ceiling.py '{"url": ..., "method": "GET", "body": null, "headers": {},
                              "seconds": 3, "concurrency": 16}'

Prints {"requests_per_s": ..., "errors": ...}. Raw asyncio streams (no HTTP library) in its
own process, so neither the client's cost nor a shared interpreter lock caps the figure.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import time
from typing import Any
from urllib.parse import urlsplit


async def worker(spec: dict[str, Any], stop_at: float, counts: list[int]) -> None:
    u = urlsplit(spec["url"])
    reader, writer = await asyncio.open_connection(u.hostname, u.port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    body = json.dumps(spec["body"]).encode() if spec["body"] is not None else b""
    head = [f"{spec['method']} {u.path}{'?' + u.query if u.query else ''} HTTP/1.1",
            f"Host: {u.netloc}", f"Content-Length: {len(body)}"]
    if body:
        head.append("Content-Type: application/json")
    head += [f"{k}: {v}" for k, v in spec["headers"].items()]
    request = ("\r\n".join(head) + "\r\n\r\n").encode() + body
    while time.monotonic() < stop_at:
        writer.write(request)
        headers = await reader.readuntil(b"\r\n\r\n")
        status = int(headers.split(b" ", 2)[1])
        length = 0
        for line in headers.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await reader.readexactly(length)
        counts[0] += 1
        counts[1] += status >= 500
    writer.close()


async def main(spec: dict[str, Any]) -> dict[str, Any]:
    counts = [0, 0]
    t0 = time.monotonic()
    stop_at = t0 + spec["seconds"]
    await asyncio.gather(*(worker(spec, stop_at, counts) for _ in range(spec["concurrency"])))
    elapsed = time.monotonic() - t0
    return {"requests_per_s": round(counts[0] / elapsed), "errors": counts[1],
            "client": f"raw HTTP/1.1 keep-alive, {spec['concurrency']} connections"}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.loads(sys.argv[1])))))
