"""The HTTP JSON API and the pages through FastAPI's test client: contract, errors, security
headers, escaping, uploads, and a store written by another process while the app reads it."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from storyline.pipeline import ingest as ingest_paths  # noqa: E402
from storyline.schema import validate_brief  # noqa: E402
from storyline.store import Store  # noqa: E402
from storyline.web import create_app  # noqa: E402

from .conftest import story_ids  # noqa: E402


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_db)) as c:
        yield c


@pytest.fixture(scope="module")
def ids(web_db: Path) -> dict[str, str]:
    return story_ids(web_db)


def test_stories_newest_first_with_counts(client: TestClient, web_db: Path) -> None:
    rows = client.get("/api/stories").json()
    with Store(web_db, readonly=True) as st:
        assert [r["id"] for r in rows] == [r["id"] for r in st.stories()]
        assert sum(r["n_articles"] for r in rows) == st.count_articles()
    dated = [r["last_published"] for r in rows if r["last_published"]]
    assert dated == sorted(dated, reverse=True)
    assert any(r["n_conflicts"] for r in rows), "the example corpus has conflicting figures"
    # Briefs saved in the store give the list its coverage without being recomputed.
    assert all(r["n_outlets"] is not None and r["independent_reports"] for r in rows), rows


def test_brief_is_valid_brief_v1(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get(f"/api/stories/{ids['conflicted']}/brief")
    assert r.status_code == 200
    data = r.json()
    validate_brief(data)  # schema + every span equals its article text
    assert data["schema"] == "storyline/brief-v1"
    assert any(f["status"] == "conflict" for s in data["stories"] for f in s["facts"])
    # the example's undated article: its relative dates are listed apart, shown on the page
    undated = [u for s in data["stories"] for u in s["undated"]]
    assert undated and all(u["expression"] and u["evidence"] for u in undated)
    page = client.get(f"/story/{ids['conflicted']}").text
    assert 'id="undated"' in page and undated[0]["expression"] in page


def test_story_articles_and_article(client: TestClient, ids: dict[str, str]) -> None:
    row = client.get(f"/api/stories/{ids['conflicted']}").json()
    arts = client.get(f"/api/stories/{ids['conflicted']}/articles").json()
    assert [a["id"] for a in arts] == row["articles"]
    assert "brief" not in row
    one = client.get(f"/api/articles/{arts[0]['id']}").json()
    assert one == arts[0]
    assert {"text", "removed", "relations", "flags", "story"} <= set(one)


def test_search(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "crane"}).json()
    assert hits and all("crane" in (h["title"] or "").lower() or h["snippet"] for h in hits)
    assert client.get("/api/search", params={"q": "zzqqxxnotaword"}).json() == []
    assert client.get("/api/search").status_code == 422


def test_not_found_and_bad_ids(client: TestClient) -> None:
    r = client.get("/api/stories/s-doesnotexist/brief")
    assert r.status_code == 404
    assert "web.db" not in r.text  # no server paths in answers
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/articles/..%2F..%2Fetc%2Fpasswd").status_code in (404, 422)
    page = client.get("/story/s-doesnotexist")
    assert page.status_code == 404 and "Story not found" in page.text
    assert client.get("/static/../service.py").status_code == 404
    assert client.get("/static/%2e%2e/service.py").status_code == 404
    assert client.get("/static/app.css").status_code == 200


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/stories", "/api/stories/{story_id}/brief", "/api/articles/{article_id}",
            "/api/search", "/api/ingest"} <= paths
    assert not any(p.startswith("/story") for p in paths)  # pages stay out of the API spec


def test_security_headers(client: TestClient, ids: dict[str, str]) -> None:
    for url in ("/", f"/story/{ids['conflicted']}", "/api/stories"):
        h = client.get(url).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert h["x-content-type-options"] == "nosniff"


def test_pages_render(client: TestClient, ids: dict[str, str]) -> None:
    listing = client.get("/")
    assert listing.status_code == 200 and f'/story/{ids["conflicted"]}' in listing.text
    assert "conflict" in listing.text
    story = client.get(f"/story/{ids['conflicted']}")
    assert story.status_code == 200
    assert story.text.index('id="conflicts"') < story.text.index('id="summary"')  # conflicts first
    assert 'class="cite"' in story.text and "<svg" in story.text
    cmp = client.get(f"/story/{ids['conflicted']}/compare")
    assert cmp.status_code == 200 and 'class="m shared' in cmp.text
    found = client.get("/", params={"q": "ferry"})
    assert found.status_code == 200 and "<mark>" in found.text


def test_article_text_is_escaped(client: TestClient, ids: dict[str, str]) -> None:
    for url in (f"/article/{ids['hostile']}", f"/story/{ids['hostile_story']}",
                f"/story/{ids['hostile_story']}/compare", "/?q=crane"):
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert 'href="javascript:' not in html, url
    page = client.get(f"/article/{ids['hostile']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_highlight_parameter(client: TestClient, ids: dict[str, str]) -> None:
    art = client.get(f"/api/articles/{ids['hostile']}").json()
    start = art["text"].index("Nobody was hurt")
    page = client.get(f"/article/{ids['hostile']}", params={"hl": f"{start}-{start + 15}"}).text
    assert 'data-target="1"' in page and ">Nobody was hurt</span>" in page
    for bad in ("5-2", "0-99999999", "../x", "1-2-3"):
        r = client.get(f"/article/{ids['hostile']}", params={"hl": bad})
        assert r.status_code in (200, 422) and 'data-target="1"' not in r.text


# -- uploads ------------------------------------------------------------------------------------
ARTICLE = (b"Dam spillway opened after week of rain\n\nVELMORA - Engineers opened the spillway of the "
           b"Velmora dam on Sunday after a week of heavy rain raised the reservoir to 96 percent, the "
           b"water board said. About 1,200 residents downstream were told to stay away from the river.\n")


@pytest.fixture
def db_copy(web_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    with Store(web_db, readonly=True) as src, Store(target) as dst:
        src.conn.backup(dst.conn)
    return target


def test_ingest_is_off_by_default(client: TestClient) -> None:
    r = client.post("/api/ingest", files={"files": ("a.txt", io.BytesIO(ARTICLE), "text/plain")})
    assert r.status_code == 403


def test_ingest_upload(db_copy: Path, tmp_path: Path) -> None:
    app = create_app(db_copy, allow_ingest=True, max_upload_bytes=64 * 1024)
    with TestClient(app) as c:
        before = len(c.get("/api/stories").json())
        evil_name = "../../" + str(tmp_path / "escaped.txt")
        r = c.post("/api/ingest", files={"files": (evil_name, io.BytesIO(ARTICLE), "text/plain")})
        assert r.status_code == 200, r.text
        assert len(r.json()["added"]) == 1
        assert not (tmp_path / "escaped.txt").exists()  # the request's name never became a path
        assert len(c.get("/api/stories").json()) == before + 1
        again = c.post("/api/ingest", files={"files": ("a.txt", io.BytesIO(ARTICLE), "text/plain")})
        assert again.json()["added"] == [] and len(again.json()["duplicates"]) == 1
        big = c.post("/api/ingest", files={"files": ("b.txt", io.BytesIO(b"x " * 70_000), "text/plain")})
        assert big.status_code == 413
        exe = c.post("/api/ingest", files={"files": ("run.sh", io.BytesIO(b"echo hi"), "text/plain")})
        assert exe.status_code == 415
        # A body without a declared length is refused before it is read.
        chunked = c.post("/api/ingest", content=iter([b"--x\r\n", b"data"]),
                         headers={"content-type": "multipart/form-data; boundary=x"})
        assert chunked.status_code == 411
        # The declared size is checked first, then the bytes actually read.
        files = [("files", (f"f{i}.txt", io.BytesIO(ARTICLE * 90), "text/plain")) for i in range(3)]
        assert c.post("/api/ingest", files=files).status_code == 413


def test_new_stories_appear_while_serving(db_copy: Path, tmp_path: Path) -> None:
    with TestClient(create_app(db_copy)) as c:
        before = {r["id"] for r in c.get("/api/stories").json()}
        folder = tmp_path / "more"
        folder.mkdir()
        (folder / "dam.txt").write_bytes(ARTICLE)
        storyline = shutil.which("storyline", path=str(Path(sys.executable).parent))
        assert storyline, "the storyline command is installed beside the interpreter"
        done = subprocess.run([storyline, "ingest", str(folder), "--db", str(db_copy), "-q"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        after = {r["id"] for r in c.get("/api/stories").json()}
        with Store(db_copy, readonly=True) as st:
            dam = next(a for a in st.articles() if "Velmora" in a.text)
        assert dam.story in after, (before, after, done.stdout)
        assert dam.story not in before  # a new story (an unrelated event), listed on reload
        assert "Velmora" in c.get("/", params={"q": "Velmora"}).text


def test_background_warming_fills_conflict_counts(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "dam.txt").write_bytes(ARTICLE)
    (folder / "dam2.txt").write_bytes(ARTICLE.replace(b"About 1,200", b"Some 1,500"))
    db = tmp_path / "fresh.db"
    with Store(db) as st:
        ingest_paths([str(folder)], st)
        assert st.briefed_stories() == {}
    with TestClient(create_app(db, warm_briefs=True)) as c:
        deadline = time.monotonic() + 300
        while any(r["n_conflicts"] is None for r in c.get("/api/stories").json()):
            assert time.monotonic() < deadline, "the background thread did not brief the stories"
            time.sleep(0.5)
    with Store(db, readonly=True) as st:  # saved in the store too, for the next server
        assert set(st.briefed_stories()) == {r["id"] for r in st.stories()}


def test_story_list_pages(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    every = client.get("/api/stories").json()
    assert len(every) >= 2
    assert client.get("/api/stories", params={"limit": 1}).json() == every[:1]
    assert client.get("/api/stories", params={"offset": 1, "limit": 1}).json() == every[1:2]
    from storyline.web import pages

    monkeypatch.setattr(pages, "PAGE", 1)
    first = client.get("/").text
    assert f"page 1 of {len(every)}" in first and 'href="/?page=2"' in first
    last = client.get("/", params={"page": len(every)}).text
    assert every[-1]["id"] in last and every[0]["id"] not in last


def test_unexpected_errors_are_pages_without_tracebacks(web_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.web import service

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret detail /etc/passwd")

    monkeypatch.setattr(service, "story_brief", broken)
    with TestClient(create_app(web_db), raise_server_exceptions=False) as c:
        sid = c.get("/api/stories").json()[0]["id"]
        monkeypatch.setattr(service, "brief_key", lambda *_: "changed")  # force a recomputation
        page = c.get(f"/story/{sid}")
        assert page.status_code == 500 and "Something went wrong" in page.text
        assert "secret detail" not in page.text and "Traceback" not in page.text
        api = c.get(f"/api/stories/{sid}/brief")
        assert api.status_code == 500 and "secret" not in api.text
        assert c.get("/").status_code == 200  # the rest still works
