"""Every settings file of belnlp fails the same way, naming the file (and line) and the fault."""

from __future__ import annotations

import pytest

from belnlp.ingest.structure import CuesError
from belnlp.ingest.structure import load_cues as load_furniture
from belnlp.nlp.components.gazetteer import GazetteerError, load_config
from belnlp.nlp.components.label_vote import VoteError, load_settings
from belnlp.nlp.components.name_shapes import ShapeError, load_shapes
from belnlp.nlp.extract.meta import MetaError, load_meta_cues

SETTINGS_FILES = [(load_settings, VoteError), (load_shapes, ShapeError),
                  (load_meta_cues, MetaError), (load_config, GazetteerError),
                  (load_furniture, CuesError)]


@pytest.mark.parametrize("load, error", SETTINGS_FILES)
def test_a_settings_file_that_is_missing_or_not_utf8_is_named(tmp_path, load, error):
    with pytest.raises(error, match=r"missing\.json: cannot read .*No such file"):
        load(tmp_path / "missing.json")
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"_doc": "à"}'.encode("latin-1"))
    with pytest.raises(error, match=r"latin\.json: .* is not UTF-8 \(byte 10\)"):
        load(latin)


@pytest.mark.parametrize("load, error", SETTINGS_FILES)
def test_a_settings_file_must_be_one_object_with_its_keys(tmp_path, load, error):
    path = tmp_path / "cues.json"
    path.write_text('{\n  "_doc": "x",\n  "oops": [\n', encoding="utf-8")
    with pytest.raises(error, match=r"cues\.json:4: not valid JSON"):
        load(path)
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(error, match=r"cues\.json: must hold one JSON object"):
        load(path)
    path.write_text('{"_doc": "x", "oops": 1}', encoding="utf-8")
    with pytest.raises(error, match=r"cues\.json: unknown key\(s\) \['oops'\], missing \["):
        load(path)


@pytest.mark.parametrize("load, error", SETTINGS_FILES)
def test_the_packaged_settings_are_read_once(load, error):
    assert load() is load()
