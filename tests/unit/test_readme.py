from assistant.settings import settings_table
from tests.conftest import ROOT


def test_readme_settings_table_matches_the_settings_object():
    assert settings_table() in (ROOT / "README.md").read_text(), "regenerate the table with settings_table()"
