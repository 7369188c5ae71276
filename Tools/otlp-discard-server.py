#!/usr/bin/env python3
"""A loopback HTTP/1.1 server that accepts any request (keep-alive), discards the body and answers 200 with an
empty body: the "backend that accepts and discards" for uploader throughput measurements.

Usage: Tools/otlp-discard-server.py PORT   (binds 127.0.0.1)
"""
import asyncio, sys
async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            remaining = length
            while remaining:
                chunk = await reader.read(min(remaining, 1 << 20))
                if not chunk: return
                remaining -= len(chunk)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]), limit=1 << 20)
    async with server:
        await server.serve_forever()
asyncio.run(main())
