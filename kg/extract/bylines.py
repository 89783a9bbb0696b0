"""Articles inside a page, their authors and the authors' organisations."""

from __future__ import annotations

from ..model import Entity, Sentence
from .context import DocContext

__all__ = ["find_bylines"]


def find_bylines(ctx: DocContext) -> None:
    # The sentences of each article, grouped once (a scan per article was quadratic).
    by_article: dict[int, list[Sentence]] = {}
    for s in ctx.sentences:
        by_article.setdefault(s.article, []).append(s)
    for article in ctx.articles:
        sentences = by_article.get(article.index, [])
        if not sentences:
            continue
        title_entity = Entity("Article", article.title)
        title_sentence = next((s for s in sentences if article.title in s.text), sentences[0])
        t = ctx.text.find(article.title, article.start)
        if t >= 0:
            ctx.add_mention(t, t + len(article.title), title_entity, title_sentence, "byline:title")
        if not article.author:
            continue
        person = Entity("Person", article.author)
        b = ctx.text.find(article.byline, article.start)
        byline_sentence = next((s for s in sentences if s.start <= b < s.end), title_sentence)
        a = ctx.text.find(article.author, b)
        ctx.add_mention(a, a + len(article.author), person, byline_sentence, "byline:author")
        ctx.add_relation(person, "authorOf", title_entity, byline_sentence, "byline")
        if article.affiliation:
            o = ctx.text.find(article.affiliation, article.start)
            org_sentence = next((s for s in sentences if s.start <= o < s.end), byline_sentence)
            org = ctx.lexicon.find("Organization", article.affiliation) or Entity(
                "Organization", article.affiliation
            )
            ctx.add_mention(
                o, o + len(article.affiliation), org, org_sentence, "byline:affiliation"
            )
            ctx.add_relation(person, "affiliatedWith", org, org_sentence, "byline")
            parent = _parent_organization(ctx, article.affiliation)
            if parent is not None and parent != org:
                ctx.add_relation(org, "partOf", parent, org_sentence, "byline:parent")


def _parent_organization(ctx: DocContext, label: str) -> Entity | None:
    """The longest known organisation whose name starts the affiliation (商务部… in 商务部X研究院)."""
    for size in range(len(label) - 1, 1, -1):
        found = ctx.lexicon.find("Organization", label[:size])
        if found is not None:
            return found
    return None
