"""The records pickle as calls of their constructors (kg.model._pickled_by_fields): what a
worker process sends the build, and what the extraction cache holds."""

from __future__ import annotations

import copyreg
import io
import pickle
from decimal import Decimal
from typing import Any

from kg.extract.pipeline import Pipeline
from kg.model import Entity, Mention, Observation
from kg.read.documents import document_from_bytes

TEXT = "上海自贸试验区临港新片区发展集成电路产业，2023年产值突破1000亿元。".encode()


def _old_style(record: Any) -> bytes:
    """``record`` pickled as before: its state set back by ``__setstate__``."""

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            if hasattr(obj, "__getstate__") and hasattr(type(obj), "__dataclass_fields__"):
                return copyreg.__newobj__, (type(obj),), obj.__getstate__()
            return NotImplemented

    out = io.BytesIO()
    Pickler(out, pickle.HIGHEST_PROTOCOL).dump(record)
    return out.getvalue()


def test_an_extraction_comes_back_equal(pipeline: Pipeline) -> None:
    extraction = pipeline(document_from_bytes(TEXT, name="p.txt", path="p.txt"))
    assert extraction.mentions and extraction.observations
    back = pickle.loads(pickle.dumps(extraction, pickle.HIGHEST_PROTOCOL))
    assert back == extraction and repr(back) == repr(extraction)


def test_a_record_is_pickled_as_a_call_of_its_constructor() -> None:
    entity = Entity("Sector", "集成电路", "")
    mention = Mention(10, 14, entity, "集成电路", 0, "lexicon")
    assert mention.__reduce__() == (Mention, (10, 14, entity, "集成电路", 0, "lexicon"))
    figure = Observation(0, 1, entity, "产值", Decimal("1000"), "亿元", "1000亿元", 0, "r")
    assert pickle.loads(pickle.dumps(figure)) == figure  # defaults passed on too


def test_records_pickled_the_old_way_still_load(pipeline: Pipeline) -> None:
    extraction = pipeline(document_from_bytes(TEXT, name="p.txt", path="p.txt"))
    old = _old_style(extraction)
    assert b"__setstate__" not in old  # state restored by BUILD, as before
    assert pickle.loads(old) == extraction
