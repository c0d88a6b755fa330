"""Reading files into documents: encodings, front matter, HTML, PDF, and clear skip reasons."""

import os
from pathlib import Path

import pytest

from assistant import corpus
from assistant.errors import CorpusError

BODY = "Japan and Germany signed an agreement on defence cooperation in 2024. It covers fuel."


def _load(path: Path):
    files, skipped = corpus.scan(path.parent)
    src = next(f for f in files if f.path == path)
    return corpus.load(src, 10_000_000)


def test_front_matter_gives_metadata_and_is_not_text(tmp_path):
    p = tmp_path / "a.md"
    p.write_text(f'---\ntitle: "A title"\npublisher: "Pub"\nauthor: "Ann"\ndate: "2024-02-08"\n---\n\n{BODY}\n')
    doc = _load(p)
    assert (doc.title, doc.publisher, doc.author, doc.date) == ("A title", "Pub", "Ann", "2024-02-08")
    assert doc.text == BODY and doc.doc_id == "a.md"


def test_title_falls_back_to_first_line_and_date_absent(tmp_path):
    p = tmp_path / "b.txt"
    p.write_text("My heading\n\n" + BODY)
    doc = _load(p)
    assert doc.title == "My heading" and doc.date is None


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1", "utf-8-sig"])
def test_other_encodings_are_read(tmp_path, encoding):
    p = tmp_path / "c.txt"
    p.write_bytes(("Café défense. " + BODY).encode(encoding))
    assert _load(p).text.startswith("Café défense.")


@pytest.mark.parametrize("content,reason", [
    (b"", "empty"),
    (bytes(range(256)) * 40, "binary"),
    (b"   \n\n  ", "no text"),
])
def test_unreadable_files_give_one_line_reasons(tmp_path, content, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(corpus.Unreadable, match=reason):
        _load(p)


def test_html_keeps_article_text_drops_scripts_and_navigation(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><title>Page title</title><meta name='author' content='Bo'>"
        "<meta property='article:published_time' content='2023-05-01T10:00:00Z'></head><body>"
        "<nav>Home | About</nav><script>alert(1)</script><h1>Heading</h1><p>" + BODY + "</p>"
        "<footer>Copyright</footer></body></html>"
    )
    doc = _load(p)
    assert doc.title == "Page title" and doc.author == "Bo" and doc.date == "2023-05-01"
    assert BODY in doc.text and "alert" not in doc.text and "Home | About" not in doc.text


def _pdf(path: Path, text: str):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    import matplotlib.pyplot as plt

    with PdfPages(path) as pdf:
        fig = plt.figure()
        fig.text(0.05, 0.5, text, fontsize=8)
        pdf.savefig(fig)
        plt.close(fig)


def test_pdf_text_is_extracted(tmp_path):
    p = tmp_path / "doc.pdf"
    _pdf(p, "Japan signed the agreement in 2024.")
    assert "Japan signed the agreement in 2024." in _load(p).text


def test_corrupt_pdf_is_skipped_with_reason(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.4\n garbage that is not a pdf")
    with pytest.raises(corpus.Unreadable, match="PDF|no text"):
        _load(p)


def test_scan_skips_unsupported_and_survives_symlink_loops(tmp_path):
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    files, skipped = corpus.scan(tmp_path)
    assert [f.rel for f in files] == ["a.txt"]
    assert skipped and skipped[0][0] == "image.png" and "unsupported" in skipped[0][1]


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist.*--corpus"):
        corpus.scan(tmp_path / "nope")


def test_oversize_file_is_skipped(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text(BODY * 100)
    files, _ = corpus.scan(tmp_path)
    with pytest.raises(corpus.Unreadable, match="over the"):
        corpus.load(files[0], 1000)


@pytest.mark.parametrize("raw,iso", [("2024-02-08", "2024-02-08"), ("2015", "2015"), ("March 13, 2015", "2015-03-13"),
                                     ("2023-05-01T10:00:00Z", "2023-05-01"), ("someday", None), (None, None)])
def test_iso_date(raw, iso):
    assert corpus.iso_date(raw) == iso
