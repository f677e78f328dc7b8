"""The command line starts without spaCy or pandas; they load only when a command needs them."""

import subprocess
import sys

HEAVY = ("spacy", "pandas")


def loaded_after(code: str) -> list[str]:
    script = (f"import sys\n{code}\n"
              f"print('loaded:', *(m for m in {HEAVY!r} if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()[-1].split()[1:]


def test_importing_the_cli_loads_neither_spacy_nor_pandas():
    assert loaded_after("import belnlp.cli") == []


def test_help_loads_neither_spacy_nor_pandas():
    code = ("from belnlp.cli import app\nsys.argv = ['belnlp', '--help']\n"
            "try:\n    app()\nexcept SystemExit:\n    pass")
    assert loaded_after(code) == []


def test_extract_help_loads_neither_spacy_nor_pandas():
    code = ("from belnlp.cli import app\nsys.argv = ['belnlp', 'extract', '--help']\n"
            "try:\n    app()\nexcept SystemExit:\n    pass")
    assert loaded_after(code) == []


def test_extract_without_explain_loads_neither_pandas_nor_networkx(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Belarus and Russia signed a treaty in 1999.\n", encoding="utf-8")
    argv = ["belnlp", "extract", str(article), "-o", str(tmp_path / "claims.jsonl"), "-q"]
    code = (f"import sys\nfrom belnlp.cli import app\nsys.argv = {argv!r}\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "print('loaded:', *(m for m in ('pandas', 'networkx') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "claims.jsonl").read_text(encoding="utf-8")
    assert run.stdout.splitlines()[-1].split()[1:] == []


def test_help_is_plain_text_and_loads_no_rich_formatting():
    code = ("import sys\nfrom belnlp.cli import app\nsys.argv = ['belnlp', 'extract', '--help']\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "print('loaded:', *(m for m in ('typer.rich_utils', 'rich') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1].split()[1:] == []  # rich's import is most of --help
    assert "Usage: belnlp extract [OPTIONS]" in run.stdout and "╭" not in run.stdout
