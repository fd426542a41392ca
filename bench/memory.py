"""Peak memory per check-in request on the real server (issue 13, finding 2).

    HADIR_FACES_DIR=/work/shared/data/faces-dev .venv/bin/python bench/memory.py [--json]

Starts ``hadir serve`` (one worker) in a temporary data dir whose ``models`` links to
``var/models``, enrols one dev person, then sends one check-in per input below. Before
each, the server's peak resident size is reset (``/proc/<pid>/clear_refs`` = 5); after
it, ``VmHWM - VmRSS(before)`` is the request's peak growth. ``resident`` is VmRSS after
the request (does memory come back?). Inputs: a real dev photo; the issue's PNG bomb
(6300 x 6300 RGBA, ~150 KB); the largest accepted PNGs (3460 x 3460 RGBA and
4900 x 4900 RGB: 96 MB in the decoder, the default ``HADIR_MAX_DECODE_MB``); a 40-Mpx
JPEG (decoded at reduced DCT scale); the bomb again for an inactive employee (refused
before decoding).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the stdlib ``http`` for httpx
if sys.path and sys.path[0] in (str(Path(__file__).resolve().parent), ""):
    sys.path.pop(0)

import argparse
import io
import json
import os
import socket
import subprocess
import tempfile
import time

import httpx
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
NIP, RETIRED = "198001012005011001", "197001012000011002"


def _png(width: int, height: int, mode: str, block: int) -> bytes:
    image = Image.new(mode, (width, height), (200, 120, 40, 128)[: len(mode)])
    left, top = (block % 2) * width // 2, (block // 2) * height // 2
    ImageDraw.Draw(image).rectangle((left, top, left + width // 2, top + height // 2), "black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _jpeg(width: int, height: int) -> bytes:
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=60)
    return out.getvalue()


def _kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    faces = Path(os.environ["HADIR_FACES_DIR"])
    person = faces / "Serena_Williams"
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        (data / "models").symlink_to((ROOT / "var" / "models").resolve())
        env = {**os.environ, "HADIR_DATA_DIR": str(data)}
        cli = [sys.executable, "-m", "hadir.cli"]
        init = [*cli, "init", "--admin-username", "bench", "--admin-password", "bench-1234"]
        subprocess.run(init, env=env, check=True, capture_output=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        log = (data / "server.log").open("wb")
        serve = [*cli, "serve", "--host", "127.0.0.1", "--port", str(port)]
        proc = subprocess.Popen(serve, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/health", timeout=2).json()["face_engine"] == "ready":
                        break
                except (httpx.HTTPError, ValueError, KeyError):
                    time.sleep(0.3)
            rows = _run(base, proc.pid, person)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("| input | file KB | status | code | peak growth MB | resident after MB |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['input']} | {r['kb']} | {r['status']} | {r['code']} | "
            f"{r['growth_mb']} | {r['resident_mb']} |"
        )


def _run(base: str, pid: int, person: Path) -> list[dict[str, object]]:
    http = httpx.Client(base_url=base, timeout=300)
    token = http.post("/api/v1/auth/token", json={"username": "bench", "password": "bench-1234"})
    http.headers["Authorization"] = f"Bearer {token.json()['token']}"
    photos = sorted(person.glob("*.jpg"))
    other = sorted((person.parent / "Ariel_Sharon").glob("*.jpg"))  # one face, one NIP
    for nip, own in ((NIP, photos), (RETIRED, other)):
        http.post("/api/v1/employees", json={"employee_id": nip, "name": nip, "unit": "Umum"})
        files = [("images", (p.name, p.read_bytes(), "image/jpeg")) for p in own[:2]]
        http.post(f"/api/v1/employees/{nip}/faces", files=files, data={"consent": "true"})
    http.patch(f"/api/v1/employees/{RETIRED}", json={"active": False})
    inputs = [
        ("dev photo 250x250 JPEG", NIP, photos[5].read_bytes()),
        ("PNG bomb 6300x6300 RGBA", NIP, _png(6300, 6300, "RGBA", 0)),
        ("PNG 4900x4900 RGBA", NIP, _png(4900, 4900, "RGBA", 1)),
        ("PNG 3460x3460 RGBA (largest accepted)", NIP, _png(3460, 3460, "RGBA", 1)),
        ("PNG 4900x4900 RGB (largest accepted)", NIP, _png(4900, 4900, "RGB", 2)),
        ("JPEG 7300x5470 (40 Mpx)", NIP, _jpeg(7300, 5470)),
        ("PNG bomb, inactive employee", RETIRED, _png(6300, 6300, "RGBA", 3)),
        ("dev photo again", NIP, photos[6].read_bytes()),
    ]
    rows: list[dict[str, object]] = [
        {
            "input": "server at rest",
            "kb": 0,
            "status": "",
            "code": "",
            "growth_mb": 0,
            "resident_mb": _kb(pid, "VmRSS") // 1024,
        }
    ]
    for name, nip, body in inputs:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        before = _kb(pid, "VmRSS")
        response = http.post(
            "/api/v1/attendance/check-in",
            files={"image": ("x", body, "application/octet-stream")},
            data={"employee_id": nip},
        )
        error = response.json().get("error") if response.status_code >= 400 else None
        rows.append(
            {
                "input": name,
                "kb": len(body) // 1024,
                "status": response.status_code,
                "code": error["code"] if error else response.json().get("decision"),
                "growth_mb": (_kb(pid, "VmHWM") - before) // 1024,
                "resident_mb": _kb(pid, "VmRSS") // 1024,
            }
        )
    return rows


if __name__ == "__main__":
    main()
