"""The cards of a family's mixes (the `cards.html` template), and each mix's links to
Spotify."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from ..describing.cards import card_facts
from ..describing.views import MixView
from ..escaping import escape_text
from ..language import ENGLISH, Language
from ..playlist import placeholder
from .colours import cluster_colour
from .group_sections import apart_html, play_time, sized_heading
from .page_model import PageModel, mix_href
from .templating import render


def card_sections(
    model: PageModel, places: dict[int, str], indexed: dict[str, str], unindexed: dict[str, str]
) -> list[str]:
    """Every mix as a card, family by family: what a listener picks from. On a page with
    families' pages each family has its heading here; else its section follows further
    down, and the cards name it."""
    tr = model.language.tr
    unindexed["style"] = render("style.html", model.templates)
    lines = [placeholder("style"), ""]
    if model.one_level:
        indexed["cards"] = mix_cards(model.mixes, model, places)
        return [*lines, placeholder("cards"), ""]
    for family in model.families:
        name = family.description.name
        if places.get(family.mixes[0].number):
            title = tr("Family {number}: {name}", number=family.number, name=escape_text(name))
            lines += [
                f'<a id="family-{family.number}"></a>',
                "",
                "## " + sized_heading(title, family.size, model),
                "",
            ]
            apart = apart_html(family.description, None, model.language)
            if apart:
                indexed[f"family-{family.number}"] = "\n".join(apart)
                lines += [placeholder(f"family-{family.number}"), ""]
            heading = None
        else:
            title = tr("Family {number}: {name}", number=family.number, name=name)
            heading = (Markup(f"#family-{family.number}"), title, model.tracks(family.size))
        indexed[f"cards-{family.number}"] = mix_cards(family.mixes, model, places, heading)
        lines += [placeholder(f"cards-{family.number}"), ""]
    return lines


def mix_cards(
    mixes: Sequence[MixView],
    model: PageModel,
    places: dict[int, str],
    heading: tuple[Markup, str, str] | None = None,
) -> str:
    """The cards of `mixes` (HTML), under `heading` (link, title, size) when given."""
    tr = model.language.tr
    cards = []
    for mix in mixes:
        facts = card_facts(mix.tracks)
        first = [model.tracks(facts.tracks)]
        if mix.duration_ms is not None:
            first.append(play_time(mix.duration_ms, model.language))
        if facts.years:
            first.append(year_span(facts.years, model.language))
        lines = [" · ".join(first)]
        if facts.added:
            added = year_span(facts.added, model.language)
            lines.append(tr("Added mostly in {years}", years=added))
        cards.append(
            {
                "href": Markup(mix_href(mix.number, "", places, model.slug)),
                "number": mix.number,
                "name": tr("Mix {number}: {name}", number=mix.number, name=mix.description.name),
                "facts": lines,
                "covers": facts.covers,
                "colour": cluster_colour(mix.family - 1),
            }
        )
    values = {"cards": cards, "heading": heading}
    return str(render("cards.html", model.templates, **values))


def year_span(years: tuple[int, int], language: Language = ENGLISH) -> str:
    """ "2019", or "1991-1999" as the language writes a span of years."""
    start, end = years
    return str(start) if start == end else language.tr("{first}–{last}", first=start, last=end)
