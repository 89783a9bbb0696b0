"""Graph fixes: canonical kg.ttl (each triple once), trade partners kept in indicators, one
definition of a relation, and identical texts under two names (issues 9 and 14)."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]


# -- an indicator keeps its partner (issue 9) ---------------------------------------------


def test_an_indicator_keeps_its_trade_partner(extract: Extract) -> None:
    ex = extract("“十四五”期间我国对美出口下滑11.8%。")
    [obs] = [o for o in ex.observations if str(o.value) == "11.8"]
    assert (obs.subject.label, obs.indicator) == ("中国", "对美出口")
    assert str(obs.change_rate) == "-11.8"


def test_a_partner_is_never_the_subject_of_a_figure(extract: Extract) -> None:
    ex = extract("2023年内蒙古对俄进出口增长25%，对蒙古国出口达到100亿元。")
    [obs] = [o for o in ex.observations if str(o.value) == "100"]
    assert (obs.subject.label, obs.indicator) == ("内蒙古自治区", "对蒙古国出口")
