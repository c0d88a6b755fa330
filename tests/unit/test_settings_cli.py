import subprocess
import sys

import pytest

from assistant.cli import main
from assistant.errors import ConfigError
from assistant.settings import load_settings


def test_environment_then_overrides(monkeypatch):
    monkeypatch.setenv("ASSISTANT_TOP_K", "7")
    assert load_settings().top_k == 7
    assert load_settings(top_k=3).top_k == 3


def test_index_key_changes_with_what_changes_vectors():
    a, b = load_settings(), load_settings(chunk_chars=500)
    assert a.index_key != b.index_key and a.index_dir != b.index_dir
    assert load_settings(top_k=9).index_key == a.index_key
    assert load_settings(corpus_dir="elsewhere").index_key != a.index_key


def test_invalid_setting_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("ASSISTANT_TOP_K", "0")
    with pytest.raises(ConfigError, match="top_k.*ASSISTANT_TOP_K"):
        load_settings()


def test_cli_prints_one_line_errors_without_traceback(tmp_path, capsys):
    code = main(["ask", "--data", str(tmp_path), "--corpus", str(tmp_path / "missing"), "hello"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: corpus folder") and "Traceback" not in err and err.count("\n") == 1


def test_core_never_imports_gradio():
    code = "import assistant.service, assistant.cli, assistant.index, sys; assert 'gradio' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
