import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_lists_every_variable_the_settings_read():
    read = set(re.findall(r'env\.\w+\("([A-Z_]+)"', (ROOT / "mission" / "settings.py").read_text()))
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE))
    assert read - listed == set()
    assert listed - read == set()
