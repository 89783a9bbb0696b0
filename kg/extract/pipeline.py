"""The extraction pipeline: an ordered list of named components with one signature.

Like spaCy's ``nlp.pipeline``, components can be listed, removed or replaced by name; each
is a function ``(DocContext) -> None`` that adds records to the context.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from ..model import Document, Extraction
from ..read.segment import split_articles, split_sentences
from .adoption import find_adoption, find_issuers
from .background import add_background_facts
from .bylines import find_bylines
from .collective import find_collective_names
from .compound_regions import find_compound_regions, find_towns_after_provinces
from .context import Component, DocContext
from .countries import find_country_compounds
from .document_zone import (
    bodies_serve_the_zone,
    link_alliances,
    link_other_zones,
    link_partner_regions,
    zones_run_their_programmes,
)
from .entities import find_bare_zones, find_heads, find_zones
from .enumerations import find_fields
from .figure_sectors import find_figure_sectors
from .free_trade_port import find_bare_free_trade_port
from .lexicon import Lexicon, load_lexicon
from .lexicon_match import match_lexicon
from .members import find_members, find_programme_parts, find_set_up_bodies
from .named_sectors import platforms_serve_sectors
from .numbers import find_observations
from .partner_mechanisms import find_partner_mechanisms
from .patterns import Patterns, load_patterns
from .phrases import find_phrases
from .pilots import find_pilots
from .placement import (
    find_corridor_countries,
    find_placements,
    find_site_seats,
    find_zone_seats,
)
from .platform_work import find_platform_work
from .port_roles import find_listed_ports, find_port_roles
from .positions import find_positions
from .professional import merge_professional_services
from .proposals import find_proposed_ports, mark_proposed_zones
from .quoted_programmes import find_quoted_programmes
from .relations import attach_orphan_areas, find_relations, link_titles_to_zones
from .resolve import canonical_entities, resolve_overlaps
from .seats import find_governed_districts
from .sector_fusions import find_fused_sectors
from .sector_modifiers import drop_sector_modifiers
from .sectors import find_sectors
from .shared_heads import find_shared_head_bodies
from .short_bodies import find_short_bodies
from .tasks import find_tasks
from .titles import find_short_names, find_titles
from .tokens import tokenize
from .zones_together import find_zones_together

__all__ = ["Pipeline", "default_pipeline", "extract_document", "segment"]

# A relation's fields in declaration order: the tuple its dataclass ``<`` compares, as a
# sort key without one call per pair.
_RELATION_FIELDS = attrgetter("subject", "predicate", "object", "sentence", "rule")


def segment(ctx: DocContext) -> None:
    articles = split_articles(ctx.text)
    ctx.articles = articles
    ctx.sentences = split_sentences(ctx.text, articles)


DEFAULT_COMPONENTS: tuple[tuple[str, Component], ...] = (
    ("segment", segment),
    ("tokenize", tokenize),
    ("lexicon", match_lexicon),
    ("zones", find_zones),
    ("bare_zones", find_bare_zones),
    ("proposed_zones", mark_proposed_zones),
    ("bare_free_trade_port", find_bare_free_trade_port),
    ("heads", find_heads),
    ("tasks", find_tasks),
    ("titles", find_titles),
    ("countries", find_country_compounds),
    ("phrases", find_phrases),
    ("partner_mechanisms", find_partner_mechanisms),
    ("governed_districts", find_governed_districts),
    ("port_roles", find_port_roles),
    ("listed_ports", find_listed_ports),
    ("sectors", find_sectors),
    ("fused_sectors", find_fused_sectors),
    ("figure_sectors", find_figure_sectors),
    ("positions", find_positions),
    ("pilots", find_pilots),
    ("fields", find_fields),
    ("bylines", find_bylines),
    ("sector_modifiers", drop_sector_modifiers),
    ("professional_services", merge_professional_services),
    ("compound_regions", find_compound_regions),
    ("towns_after_provinces", find_towns_after_provinces),
    ("resolve", resolve_overlaps),
    ("collective", find_collective_names),
    ("shared_heads", find_shared_head_bodies),
    ("short_names", find_short_names),
    ("short_bodies", find_short_bodies),
    ("quoted_programmes", find_quoted_programmes),
    ("zones_together", find_zones_together),
    ("relations", find_relations),
    ("members", find_members),
    ("set_up_bodies", find_set_up_bodies),
    ("programme_parts", find_programme_parts),
    ("placements", find_placements),
    ("zone_seats", find_zone_seats),
    ("site_seats", find_site_seats),
    ("corridor_countries", find_corridor_countries),
    ("adoption", find_adoption),
    ("issuers", find_issuers),
    ("orphan_areas", attach_orphan_areas),
    ("title_zones", link_titles_to_zones),
    ("other_zones", link_other_zones),
    ("partner_regions", link_partner_regions),
    ("proposed_ports", find_proposed_ports),
    ("zone_bodies", bodies_serve_the_zone),
    ("zone_alliances", link_alliances),
    ("zone_programmes", zones_run_their_programmes),
    ("background", add_background_facts),
    ("platform_sectors", platforms_serve_sectors),
    ("platform_work", find_platform_work),
    ("observations", find_observations),
    ("canonical", canonical_entities),
)


@dataclass(frozen=True)
class Pipeline:
    components: tuple[tuple[str, Component], ...]
    lexicon: Lexicon
    patterns: Patterns

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.components]

    def without(self, *names: str) -> Pipeline:
        return Pipeline(
            tuple(c for c in self.components if c[0] not in names), self.lexicon, self.patterns
        )

    def replace(self, name: str, component: Component) -> Pipeline:
        return Pipeline(
            tuple((n, component if n == name else c) for n, c in self.components),
            self.lexicon,
            self.patterns,
        )

    def __call__(self, document: Document) -> Extraction:
        ctx = DocContext(document, self.lexicon, self.patterns)
        for _, component in self.components:
            component(ctx)
        return Extraction(
            document=document,
            sentences=tuple(ctx.sentences),
            articles=tuple(ctx.articles),
            # sorted already (the index of mentions_in); each mention once, the first of
            # equal ones as a set keeps it
            mentions=tuple(dict.fromkeys(ctx.mentions_in_order())),
            relations=tuple(sorted(set(ctx.relations), key=_RELATION_FIELDS)),
            observations=tuple(sorted(set(ctx.observations))),
            warnings=tuple(ctx.warnings),
            dates=tuple(sorted(set(ctx.dates))),
        )


def default_pipeline(lexicon_path: str | None = None, patterns_path: str | None = None) -> Pipeline:
    return Pipeline(DEFAULT_COMPONENTS, load_lexicon(lexicon_path), load_patterns(patterns_path))


def extract_document(document: Document, pipeline: Pipeline | None = None) -> Extraction:
    return (pipeline or default_pipeline())(document)


def extract_all(
    documents: Iterable[Document], pipeline: Pipeline | None = None
) -> list[Extraction]:
    pipe = pipeline or default_pipeline()
    return [pipe(doc) for doc in documents]
