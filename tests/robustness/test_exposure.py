"""Exposure: who can reach the chat, what an upload may be, and what the passage view can read.

Already covered in tests/e2e/test_api.py, not repeated here: `serve` refusing 0.0.0.0 without a
login and the login working (test_beyond_loopback_needs_a_login), uploads refused by type and by
size through gradio_client (test_upload_*), the passage view refusing `../../etc/passwd`,
`/etc/passwd`, `corpus/../../../etc/hosts`, "" and "." (test_passage_view_reads_only_indexed_documents),
the file route refusing plain paths (test_server_serves_no_files_from_disk), and `assistant serve`
announcing http://127.0.0.1 (test_assistant_serve_command_starts_and_answers, slow). Here: what
those leave out.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from assistant.settings import load_settings
from tests.conftest import CORPUS, ROOT
from tests.robustness.conftest import clone_index, running

pytestmark = pytest.mark.e2e

DOC = "magnani-indo-pacific-mega-basin.md"


def listening_on(port: int) -> set[str]:
    """Local addresses with a socket listening on `port`, from /proc/net/tcp and tcp6."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            addr, p = local.split(":")
            if int(p, 16) != port or state != "0A":  # 0A: LISTEN
                continue
            raw = bytes.fromhex(addr)
            # The kernel prints each 32-bit word in host (little-endian) order.
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(socket.inet_ntop(socket.AF_INET if width == 8 else socket.AF_INET6, raw))
    return found


def outward_address() -> str | None:
    """This machine's address on its default route (no packet is sent), or None without one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            ip = s.getsockname()[0]
    except OSError:
        return None
    return None if ip.startswith("127.") else ip


def test_the_default_is_loopback_only(chat_url):
    assert load_settings().host == "127.0.0.1"
    port = int(chat_url.rstrip("/").rsplit(":", 1)[1])
    assert listening_on(port) == {"127.0.0.1"}
    ip = outward_address()
    if ip:  # the same port on this machine's network address refuses the connection
        with pytest.raises(OSError):
            socket.create_connection((ip, port), timeout=2).close()


REFUSAL = ("error: listening on {} makes the chat reachable from other machines, so it needs a login: "
           "set ASSISTANT_AUTH_USER and ASSISTANT_AUTH_PASSWORD, or use --host 127.0.0.1")


def test_the_command_refuses_another_address_without_a_login(tmp_path):
    """One line on stderr, exit status 2, no traceback, and nothing built or started first."""
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "serve", "--host", "0.0.0.0", "--corpus", str(CORPUS), "--data",
         str(tmp_path / "data")],
        cwd=ROOT, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, capture_output=True, text=True, timeout=120,
    )
    assert (out.returncode, out.stdout, out.stderr.strip()) == (2, "", REFUSAL.format("0.0.0.0"))
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("host, env", [
    ("::", {"ASSISTANT_AUTH_PASSWORD": "only-a-password"}),
    ("192.168.1.5", {"ASSISTANT_AUTH_USER": "only-a-user"}),
    ("example.org", {}),
])
def test_half_a_login_is_no_login(tmp_path, monkeypatch, capsys, host, env):
    from assistant.cli import main

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert main(["serve", "--host", host, "--corpus", str(CORPUS), "--data", str(tmp_path / "data")]) == 2
    assert capsys.readouterr().err.strip() == REFUSAL.format(host)
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("flag", ["--password", "--auth-password", "--user", "--auth-user", "--auth"])
def test_there_is_no_password_flag(flag, capsys):
    """Passwords come only from the environment: a flag would show them in `ps` and shell history."""
    from assistant.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", flag, "x"])
    assert "unrecognized arguments" in capsys.readouterr().err


def test_the_login_comes_from_the_environment_and_is_announced_at_start(corpus_assistant, monkeypatch, capsys):
    """`serve` with ASSISTANT_HOST/AUTH_* set: it says at start that a login is needed and by whom.
    (Nothing is bound here: the launch is replaced; the real login is exercised below.)"""
    import assistant.app as app
    from assistant.service import Assistant

    monkeypatch.setenv("ASSISTANT_HOST", "0.0.0.0")
    monkeypatch.setenv("ASSISTANT_AUTH_USER", "ann")
    monkeypatch.setenv("ASSISTANT_AUTH_PASSWORD", "s3cret-pw")
    settings = load_settings(corpus_dir=corpus_assistant.settings.corpus_dir,
                             data_dir=corpus_assistant.settings.data_dir)
    launched = {}

    class Demo:
        def block_thread(self):
            pass

        def close(self):
            pass

    def launch(assistant, s):
        launched["auth"] = app.auth_for(s)
        return Demo(), f"http://{s.host}:{s.port}/"

    monkeypatch.setattr(app, "Assistant", lambda s: Assistant(s, embedder=corpus_assistant.embedder))
    monkeypatch.setattr(app, "launch", launch)
    assert app.serve(settings) == 0
    out = capsys.readouterr().out
    assert "login required: user 'ann' (from ASSISTANT_AUTH_USER / ASSISTANT_AUTH_PASSWORD)" in out
    assert "s3cret-pw" not in out
    assert launched["auth"] == ("ann", "s3cret-pw")


def test_with_a_login_every_route_needs_it(corpus_assistant):
    """Login on (here on loopback, the same code path as any address): the API, the passage view,
    the file route and uploads all refuse a caller without the session cookie."""
    with running(corpus_assistant, auth_user="ann", auth_password="s3cret-pw") as url:
        h = httpx.Client(base_url=url, timeout=10)
        for method, path, kw in [
            ("post", "gradio_api/call/ask", {"json": {"data": ["What is AUKUS?", None, None, None, None]}}),
            ("post", "gradio_api/call/passage", {"json": {"data": [DOC, 0, 100]}}),
            ("get", "config", {}),
            ("get", "gradio_api/info", {}),
            ("post", "gradio_api/upload", {"files": {"files": ("a.md", b"hello there, a small file")}}),
            ("get", f"gradio_api/file={CORPUS / DOC}", {}),
        ]:
            r = getattr(h, method)(path, **kw)
            assert r.status_code in (401, 403), (path, r.status_code, r.text[:200])
            assert "Magnani" not in r.text
        with pytest.raises(Exception):
            Client(url, auth=("ann", "wrong"), verbose=False)
        a = Client(url, auth=("ann", "s3cret-pw"), verbose=False).predict("What is AUKUS?", api_name="/ask")
        assert "AUKUS" in a["answer"]


@pytest.mark.parametrize("doc_id", [
    "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%252F..%252Fetc%252Fpasswd",
    "..\\..\\etc\\passwd", "．．／．．／etc／passwd", "file:///etc/passwd", "~/.ssh/id_rsa",
    f"{DOC}/../../../../etc/passwd", f"{DOC}\x00../../etc/passwd", f"./{DOC}", f"{DOC} ", DOC.upper(),
    str(CORPUS / DOC), "README.md", "../data/index-0/catalog.sqlite3", "x" * 100_000,
])
def test_the_passage_view_reads_only_indexed_documents(client, doc_id):
    with pytest.raises(AppError, match="unknown document") as err:
        client.predict(doc_id, 0, 100, api_name="/passage")
    assert len(str(err.value)) < 500 and "root:" not in str(err.value)


def test_the_passage_view_clamps_its_span(client):
    got = client.predict(DOC, -5, 10**12, api_name="/passage")
    assert got["start"] == 0 and got["end"] == len(got["quote"]) and got["doc_id"] == DOC


def test_a_span_that_is_not_a_number_is_one_clear_error(client):
    with pytest.raises(AppError, match="start and end must be"):
        client.predict(DOC, "abc", None, api_name="/passage")


@pytest.mark.parametrize("path", [
    "..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd", "..%252F..%252Fetc%252Fpasswd",
    "....//....//....//etc/passwd", "..;/..;/etc/passwd", f"{CORPUS / DOC}".replace("/", "%2F"),
])
@pytest.mark.parametrize("route", ["gradio_api/file=", "gradio_api/file/", "file="])
def test_the_file_routes_serve_nothing_from_disk(chat_url, route, path):
    r = httpx.get(f"{chat_url}{route}{path}", timeout=10)
    assert r.status_code in (403, 404) and "root:" not in r.text and "Magnani" not in r.text


def test_the_index_files_are_not_served(chat_url, corpus_assistant):
    for f in [corpus_assistant.settings.index_dir / "catalog.sqlite3", corpus_assistant.settings.feedback_path,
              corpus_assistant.settings.corpus_dir / "README.md"]:
        r = httpx.get(f"{chat_url}gradio_api/file={f}", timeout=10)
        assert r.status_code in (403, 404) and "SQLite format" not in r.text


def test_uploads_are_checked_by_the_server_and_by_content(corpus_assistant, tmp_path):
    """The size limit holds for a raw HTTP upload too (not only in gradio_client); a file whose
    name promises text but holds binary data is refused by the indexer with its reason; a name
    that climbs out of the folder lands inside it."""
    a = clone_index(corpus_assistant, tmp_path / "srv", max_upload_mb=0.05)
    with running(a, max_upload_mb=0.05) as url:
        r = httpx.post(f"{url}gradio_api/upload", files={"files": ("big.txt", b"word " * 20_000)}, timeout=30)
        assert r.status_code == 413 and "maximum allowed size" in r.text
        c = Client(url, verbose=False)
        disguised = tmp_path / "notes.txt"
        disguised.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" * 200)
        note = c.predict([handle_file(str(disguised))], api_name="/add_documents")[0]
        assert "skipped notes.txt: binary data, not text" in note and "index updated: added 0" in note
        climbing = tmp_path / "..\\..\\..\\escape.md"  # a legal Linux file name
        climbing.write_text("The escape upload names the quokka harbour of Perth in June.")
        note = c.predict([handle_file(str(climbing))], api_name="/add_documents")[0]
        assert "index updated: added 1" in note
    corpus = a.settings.corpus_dir
    added = set(p.name for p in corpus.iterdir()) - set(p.name for p in CORPUS.iterdir())
    assert len(added) == 2 and "notes.txt" in added
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in added)
    assert not list(tmp_path.glob("escape*")) and not list(tmp_path.parent.glob("escape*"))
