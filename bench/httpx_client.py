#!/usr/bin/env python3
"""The Python side of `assay bench io`: N chat-completion POSTs with asyncio + httpx at concurrency C.

Prints one line `rate=<req/s> requests=<n> ok=<n> wall_s=<s> concurrency=<c>`. Exits 3 when httpx is not
importable (Debian: apt-get install python3-httpx, then run with /usr/bin/python3).
"""
import argparse
import asyncio
import sys
import time

try:
    import httpx
except ImportError as e:  # noqa: F841
    print("httpx is not installed for %s (Debian: apt-get install python3-httpx)" % sys.executable)
    sys.exit(3)


def body(model, i):
    return {
        "model": model,
        "messages": [
            {"role": "system", "content": "You are a fair judge. Grade the response from 1 to 5."},
            {"role": "user", "content": "Explain briefly why the sky is blue (%d).\n<response>Rayleigh scattering: "
             "shorter wavelengths scatter more in the atmosphere (%d).</response>\nEnd with [RESULT] n." % (i, i)},
        ],
        "temperature": 1.0,
        "max_tokens": 256,
        "seed": i,
    }


async def main(url, n, c, model):
    limits = httpx.Limits(max_connections=c, max_keepalive_connections=c)
    sem = asyncio.Semaphore(c)
    ok = 0
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120.0) as client:
        async def one(i):
            nonlocal ok
            async with sem:
                r = await client.post("/chat/completions", json=body(model, i))
                r.json()
                if r.status_code == 200:
                    ok += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        wall = time.perf_counter() - t0
    print("rate=%.1f requests=%d ok=%d wall_s=%.3f concurrency=%d" % (n / wall, n, ok, wall, c))
    return 0 if ok == n else 1


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--requests", type=int, required=True)
    ap.add_argument("--concurrency", type=int, required=True)
    ap.add_argument("--model", default="sim-judge-strict")
    a = ap.parse_args()
    sys.exit(asyncio.run(main(a.url, a.requests, a.concurrency, a.model)))
