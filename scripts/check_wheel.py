"""CI's proof that what users install works: build the wheel, install it into two fresh virtual
environments outside the source tree (``[hub]`` and ``[app]``), and smoke-test each from there.

    .venv/bin/python scripts/check_wheel.py [--keep]

Checks, each printed as it passes (the first failure stops with exit 1 and says what is wrong):
every file under ``kiosk/`` that git tracks is in the wheel (fonts with their licence too); the
hub environment has no PySide6 and its ``kiosk-hub serve`` answers the sign-in page, the
dashboard (signed in), its stylesheet, its font and the OpenAPI description with 200; the app
environment has no FastAPI and ``kiosk lessons list``, ``kiosk handout`` (a PDF drawn with the
bundled font), ``kiosk screenshot`` (phone pictures not blank) and ``kiosk lessons narrate`` work.
Runs with the development ``.venv`` (for ``build``, ``httpx`` and Pillow); needs network access to
the package index (or a pip cache) for the installs.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
HUB_PASSWORD = "wheel-check-Passw0rd"


class CheckFailed(Exception):
    """A check did not hold; the message says which and why."""


STARTED = time.monotonic()


def ok(message: str) -> None:
    print(f"ok: {message}  [{time.monotonic() - STARTED:.0f} s]", flush=True)


def run(args, *, cwd: Path, env: dict | None = None, input: str | None = None,
        timeout: float = 900) -> str:
    """Run ``args`` and return its stdout; raise ``CheckFailed`` with its output if it fails."""
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, input=input, text=True,
                            capture_output=True, timeout=timeout)
    if result.returncode != 0:
        raise CheckFailed(f"{' '.join(map(str, args))} exited {result.returncode}:\n"
                          f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def clean_env(**extra: str) -> dict:
    """The environment without anything that would put the source tree on the path."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(extra)
    return env


def build_wheel(work: Path) -> Path:
    print("==> building the wheel", flush=True)
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"),
                    str(ROOT)], check=True, stdout=subprocess.DEVNULL, timeout=600)
    wheel = next((work / "dist").glob("kiosk-*.whl"))
    ok(f"built {wheel.name} ({wheel.stat().st_size // 1024} KB)")
    return wheel


def check_contents(wheel: Path) -> None:
    """Every tracked file under kiosk/ ships, and the licences are in the metadata."""
    tracked = run(["git", "ls-files", "kiosk"], cwd=ROOT).split()
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = [name for name in tracked if name not in names]
    if missing:
        raise CheckFailed(f"files missing from the wheel (add them to package-data): {missing}")
    licences = [n for n in names if re.search(r"\.dist-info/licenses/.*(LICENSE|OFL\.txt)$", n)]
    if len(licences) < 2:
        raise CheckFailed(f"licence files missing from the wheel's metadata: {licences}")
    ok(f"the wheel holds all {len(tracked)} tracked package files and both licences")


def make_venv(work: Path, wheel: Path, extra: str) -> Path:
    """A fresh virtual environment in ``work/extra`` with ``wheel[extra]`` installed."""
    print(f"==> installing {wheel.name}[{extra}] into a fresh virtual environment", flush=True)
    venv = work / extra
    subprocess.run(["python3", "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "--progress-bar", "off",
                    f"{wheel}[{extra}]"], check=True, cwd=work, env=clean_env(), timeout=1200)
    where = run([venv / "bin/python", "-c", "import kiosk; print(kiosk.__file__)"],
                cwd=work, env=clean_env()).strip()
    if ROOT in Path(where).parents:
        raise CheckFailed(f"[{extra}] imports kiosk from the source tree: {where}")
    ok(f"[{extra}] installed; kiosk imported from {where}")
    return venv


def installed(venv: Path) -> set[str]:
    listing = run([venv / "bin/python", "-m", "pip", "list", "--format=json"], cwd=venv)
    return {re.sub(r"[-_.]+", "-", row["name"]).lower() for row in json.loads(listing)}


def expect_packages(venv: Path, extra: str, present: set[str], absent: set[str]) -> None:
    names = installed(venv)
    if present - names or absent & names:
        raise CheckFailed(f"[{extra}] should have {sorted(present)} and not {sorted(absent)}; "
                          f"has {sorted(names)}")
    ok(f"[{extra}] has {', '.join(sorted(present))} and none of {', '.join(sorted(absent))}")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(client: httpx.Client, server: subprocess.Popen, deadline_s=60) -> None:
    """Return once the hub answers; raise if it exits or stays silent past the deadline."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CheckFailed(f"kiosk-hub serve exited {server.returncode}: "
                              f"{server.stderr.read()[-3000:]}")
        try:
            client.get("/openapi.json")
            return
        except httpx.TransportError:
            time.sleep(0.2)  # the port is not bound yet: nothing to wait on but the socket
    raise CheckFailed("kiosk-hub serve did not answer within a minute")


def check_hub(venv: Path, work: Path) -> None:
    expect_packages(venv, "hub", {"fastapi", "uvicorn", "sqlalchemy", "psycopg"},
                    {"pyside6-essentials", "pyside6-addons", "shiboken6"})
    env = clean_env(KIOSK_HUB_DATA_DIR=str(work / "hub-data"))
    run([venv / "bin/kiosk-hub", "user", "add", "officer", "--role", "admin", "--password-stdin"],
        cwd=work, env=env, input=HUB_PASSWORD + "\n")
    port = free_port()
    server = subprocess.Popen([str(venv / "bin/kiosk-hub"), "serve", "--port", str(port)],
                              cwd=work, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            wait_until_serving(client, server)
            font = (ROOT / "kiosk/assets/fonts/NotoSans-Regular.ttf").read_bytes()
            for path in ("/signin", "/openapi.json", "/dashboard/static/hub.css",
                         "/dashboard/static/NotoSans-Regular.ttf",
                         "/dashboard/static/NotoSans-Bold.ttf"):
                answer = client.get(path)
                if answer.status_code != 200:
                    raise CheckFailed(f"GET {path} answered {answer.status_code}")
            if client.get("/dashboard/static/NotoSans-Regular.ttf").content != font:
                raise CheckFailed("the served font differs from the bundled one")
            sign_in(client, base)
        ok("kiosk-hub serve answers /signin, /dashboard (signed in), its CSS, both fonts and "
           "/openapi.json with 200")
    finally:
        server.terminate()
        server.wait(timeout=30)


def sign_in(client: httpx.Client, base: str) -> None:
    page = client.get("/signin").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    if not csrf:
        raise CheckFailed("the sign-in page has no CSRF field")
    answer = client.post("/signin", headers={"Origin": base}, follow_redirects=True,
                         data={"csrf": csrf.group(1), "name": "officer",
                               "password": HUB_PASSWORD, "next": "/dashboard"})
    if answer.status_code != 200 or not str(answer.url).endswith("/dashboard"):
        raise CheckFailed(f"signing in ended at {answer.url} with {answer.status_code}")


def check_app(venv: Path, work: Path) -> None:
    expect_packages(venv, "app", {"pyside6-essentials", "pyside6-addons"},
                    {"fastapi", "uvicorn", "sqlalchemy", "psycopg", "openpyxl"})
    data = work / "kiosk-data"
    env = clean_env(KIOSK_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")
    kiosk = venv / "bin/kiosk"
    lessons = json.loads(run([kiosk, "lessons", "list", "--json"], cwd=work, env=env))["lessons"]
    if not lessons:
        raise CheckFailed("kiosk lessons list shows no lessons")
    ok(f"kiosk lessons list: {len(lessons)} lessons")
    lesson = lessons[0]["id"]
    guide = work / "guide.pdf"
    run([kiosk, "handout", lesson, "--out", guide], cwd=work, env=env)
    check_guide_font(guide, work)
    shots = work / "shots"
    run([kiosk, "screenshot", "--out", shots, "--lang", "vi"], cwd=work, env=env, timeout=900)
    check_pictures(shots, data / "cache")
    clips = run([kiosk, "lessons", "narrate", "--lesson", lesson], cwd=work, env=env)
    count = re.search(r"(\d+) narration clips", clips)
    if not count or int(count.group(1)) == 0:
        raise CheckFailed(f"kiosk lessons narrate made no clips: {clips!r}")
    ok(f"kiosk lessons narrate: {count.group(1)} clips")


def check_guide_font(guide: Path, work: Path) -> None:
    """The guide was made with the bundled Noto Sans: embedded in its text layer when it has
    one; when it is drawn as pictures (no text layer), its pages are not blank."""
    fonts = run(["pdffonts", guide], cwd=work).splitlines()[2:]
    if fonts:
        noto = [line for line in fonts if "NotoSans" in line]
        if not noto or any(line.split()[-5] != "yes" for line in noto):
            raise CheckFailed("the guide's text is not in the embedded Noto Sans:\n"
                              + "\n".join(fonts))
        ok(f"kiosk handout: PDF with Noto Sans embedded ({len(noto)} font entries)")
        return
    run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", guide, work / "page"], cwd=work)
    colours = distinct_colours(next(work.glob("page*.png")))
    if colours < 8:
        raise CheckFailed(f"the guide's first page is blank ({colours} colours)")
    ok(f"kiosk handout: PDF drawn with the bundled font as pictures ({colours} colours on "
       "page 1; no text layer in this version of the guide)")


def distinct_colours(png: Path) -> int:
    with Image.open(png) as picture:
        return len(picture.convert("RGB").getcolors(1 << 24))


def check_pictures(shots: Path, cache: Path) -> None:
    screens = list(shots.rglob("*.png"))
    pictures = list(cache.rglob("*.png"))
    if not screens or not pictures:
        raise CheckFailed(f"kiosk screenshot wrote {len(screens)} screens and drew "
                          f"{len(pictures)} phone pictures")
    blank = [p.name for p in pictures if distinct_colours(p) < 16]
    if blank:
        raise CheckFailed(f"blank phone pictures: {blank[:5]}")
    ok(f"kiosk screenshot: {len(screens)} screens, {len(pictures)} phone pictures, none blank")


def main(argv: list[str]) -> int:
    keep = "--keep" in argv
    work = Path(tempfile.mkdtemp(prefix="kiosk-wheel-"))
    started = time.monotonic()
    try:
        wheel = build_wheel(work)
        check_contents(wheel)
        check_hub(make_venv(work, wheel, "hub"), work)
        check_app(make_venv(work, wheel, "app"), work)
    except (CheckFailed, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        print(f"WHEEL CHECK FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if keep:
            print(f"kept: {work}")
        else:
            subprocess.run(["rm", "-rf", str(work)], check=False)
    print(f"wheel checks passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
