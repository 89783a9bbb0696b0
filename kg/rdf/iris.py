"""The one place where instance IRIs are minted.

IRIs are readable ASCII: ``id/<kind>/<pinyin-slug>`` (``id/area/man-zhou-li-pian-qu``), or
the lexicon's own IRI for a known entity. They depend only on the entity (class and label)
or on content hashes, never on input order, so two builds of the same input agree.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from itertools import chain

from pypinyin import Style
from pypinyin.converter import UltimateConverter
from rdflib import URIRef

from ..model import Entity
from ..namespaces import ID
from .pinyin_words import words

__all__ = [
    "KIND_BY_CLASS",
    "entity_iri",
    "document_iri",
    "sentence_iri",
    "mention_iri",
    "assertion_iri",
    "observation_iri",
    "text_iri_prefixes",
    "slugify",
    "SECTOR_SCHEME",
]

KIND_BY_CLASS = {
    "PilotFreeTradeZone": "zone",
    "FreeTradePort": "zone",
    "Area": "area",
    "Port": "port",
    "City": "city",
    "Region": "region",
    "Country": "country",
    "Sector": "sector",
    "ReformTask": "task",
    "TaskField": "field",
    "StrategicPosition": "position",
    "Initiative": "initiative",
    "ProposedZone": "proposed-zone",
    "Agreement": "agreement",
    "PolicyDocument": "policy",
    "Platform": "platform",
    "Organization": "org",
    "Person": "person",
    "Article": "article",
}
SECTOR_SCHEME = ID["scheme/sectors"]
_MAX_SLUG = 60
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def _keep(chars: str) -> str:
    """Non-Chinese characters (CPTPP, 81) pass through pypinyin unchanged."""
    return chars


# What pypinyin.lazy_pinyin(label, errors=_keep) does, in two steps: it cuts the label into
# words and converts each word on its own (no tone sandhi, so no word's reading depends on
# its neighbours). The words recur across thousands of labels (自由贸易试验区, 片区), and
# converting one costs 0.1 ms: a corpus build spent ~1.5 s on it before the words were kept.
_CONVERTER = UltimateConverter(v_to_u=False, neutral_tone_with_five=False, tone_sandhi=False)
_SEGMENT = words  # Pinyin(_CONVERTER).seg, without its loops over characters


@lru_cache(maxsize=1 << 16)
def _word_pinyin(word: str) -> tuple[str, ...]:
    return tuple(chain.from_iterable(_CONVERTER.convert(word, Style.NORMAL, False, _keep, True)))


def _pinyin(label: str) -> list[str]:
    """``lazy_pinyin(label, style=Style.NORMAL, errors=_keep)``."""
    return [syllable for word in _SEGMENT(label) for syllable in _word_pinyin(word)]


@lru_cache(maxsize=65536)
def slugify(label: str) -> str:
    """ASCII slug: pinyin for Chinese, lower-case letters and digits, ``-`` between."""
    parts = _pinyin(label)
    slug = _NON_SLUG.sub("-", "-".join(parts).lower()).strip("-")
    if not slug:
        slug = "x"
    if len(slug) > _MAX_SLUG or slug == "x":
        digest = hashlib.sha1(label.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug[:_MAX_SLUG].rstrip('-')}-{digest}"
    return slug


def _short_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1 << 16)  # pinyin is slow, and entities recur across documents
def entity_iri(entity: Entity) -> URIRef:
    """The lexicon's IRI, or ``id/<kind>/<pinyin>-<hash6>`` for an entity found by a pattern.

    The short hash of the label keeps apart what pinyin cannot (先声 and 先生, 2018-2022 and
    2018—2022) without depending on which other entities a build happens to contain, so an
    entity keeps its IRI when documents are added.
    """
    if entity.key:
        return URIRef(entity.key)
    kind = KIND_BY_CLASS.get(entity.cls, entity.cls.lower())
    digest = hashlib.sha1(entity.label.encode("utf-8")).hexdigest()[:6]
    return ID[f"{kind}/{slugify(entity.label)}-{digest}"]


def document_iri(content_hash: str, name: str) -> URIRef:
    stem = name.rsplit(".", 1)[0]
    return ID[f"doc/{slugify(stem)}-{content_hash[:8]}"]


# The IRIs of a text's nodes are made of hex digits, numbers and "-" under the id/
# namespace: always valid. ``ID[local]`` goes through rdflib's Namespace.term and
# URIRef.__new__, which checks each IRI's characters (0.6 us); the str made directly is the
# same URIRef (0.13 us), for the corpus's ~0.2 M sentence, mention, figure and assertion
# IRIs.
_ID = str(ID)
_new = str.__new__


def _minted(local: str) -> URIRef:
    """``ID[local]`` for a ``local`` name known to be valid (hex digits, numbers, "-")."""
    iri: URIRef = _new(URIRef, _ID + local)
    return iri


def sentence_iri(content_hash: str, start: int) -> URIRef:
    return _minted(f"sentence/{content_hash[:12]}-{start}")


def mention_iri(content_hash: str, start: int, end: int, entity: Entity) -> URIRef:
    return _minted(
        f"mention/{content_hash[:12]}-{start}-{end}-{_entity_hash(entity.cls, entity.label)}"
    )


@lru_cache(maxsize=1 << 16)  # one SHA-1 per entity, not per mention (7 mentions each)
def _entity_hash(cls: str, label: str) -> str:
    return _short_hash(cls, label)[:6]


def assertion_iri(subject: URIRef, predicate: URIRef, obj: URIRef) -> URIRef:
    return _minted(f"assertion/{_short_hash(str(subject), str(predicate), str(obj))}")


def observation_iri(content_hash: str, start: int, end: int) -> URIRef:
    return _minted(f"obs/{content_hash[:12]}-{start}-{end}")


def text_iri_prefixes(content_hash: str) -> tuple[str, ...]:
    """How the IRIs minted from a text's content hash begin (sentences, mentions, figures):
    only documents with that very text can have triples about them."""
    return tuple(str(ID[f"{kind}/{content_hash[:12]}-"]) for kind in ("sentence", "mention", "obs"))
