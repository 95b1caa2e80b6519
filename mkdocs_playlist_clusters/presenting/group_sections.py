"""The sections of the pages: a family's heading and what sets it apart, each mix's heading,
its representatives, its evidence and its border with a sibling."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Sequence

from ..describing.differences import ClusterDescription, feature_name, format_value, value_text
from ..describing.views import FamilyView, MixView
from ..escaping import bdi, escape_text, isolated
from ..language import ENGLISH, Language
from ..playlist import PAGE_FOLDER, download_name, placeholder
from .page_model import MAX_LISTED_TRACKS, MAX_SEARCHED_TABLES, PageModel, front_matter, mix_href
from .track_tables import (
    KIND_WORDS,
    Column,
    html_table,
    member_columns,
    records,
    track_name_and_url,
    track_text,
    track_url,
)


def spotify_links(mix: MixView, language: Language = ENGLISH) -> str:
    """The mix's tracks as Spotify links in playing order, each recording once, in a block
    to copy (Material's copy button, `content.code.copy`; select and copy elsewhere) and paste
    into a playlist in Spotify's desktop app; "" when none has a Spotify id."""
    urls = [url for track in mix.running["track_id"] if (url := track_url(track))]
    if not urls:
        return ""
    tr = language.tr
    how = tr(
        "To play it in Spotify: copy these links and paste them into a playlist in "
        "Spotify's desktop app."
    )
    code = "\n".join(html.escape(url) for url in urls)
    return (
        f'<details class="playlist-clusters-links"><summary>{tr("Spotify links")}</summary>'
        f"<p>{how}</p><pre><code>{code}</code></pre></details>"
    )


# Spotify's player for one track, in a page of open.spotify.com (see `spotify_player`).
SPOTIFY_EMBED = "https://open.spotify.com/embed/track/"


def spotify_player(mix: MixView, language: Language = ENGLISH) -> str:
    """A link to the mix's first track that the plugin's script (`player.js`) turns, on a
    click, into Spotify's player for it: nothing is asked of Spotify before. Without the
    script, the link opens the track on Spotify. "" when the track has no Spotify id."""
    rows = records(mix.running.head(1))
    if not rows:
        return ""
    name, url = track_name_and_url(rows[0], language)
    if url is None:
        return ""
    track = url.rsplit("/", 1)[1]
    tr = language.tr
    play = tr("▶ Play {track} in Spotify's player", track=bdi(name))
    note = tr("Spotify's player loads only when you click: until then, nothing is sent to Spotify.")
    return (
        f'<p class="playlist-clusters-player"><a href="{url}" '
        f'data-playlist-clusters-player="{SPOTIFY_EMBED}{track}">{play}</a><br>'
        f"<small>{note}</small></p>"
    )


def family_page_start(
    family: FamilyView, model: PageModel, page: str, indexed: dict[str, str]
) -> list[str]:
    """The head of a family's page: its name, the way back to the playlist, how it differs."""
    language = model.language
    tr = language.tr
    name = family.description.name
    title = tr("Family {number}: {name}", number=family.number, name=escape_text(name))
    heading = tr("Family {number}: {name}", number=family.number, name=isolated(name))
    back = posixpath.relpath(f"{model.slug}.md", posixpath.dirname(page))
    arrow = "→" if model.rtl else "←"
    lines = [
        *front_matter(title, heading),
        f"[{arrow} {isolated(model.title)}]({back}) · "
        + language.tr_n(
            "{tracks} in {count} mix.",
            "{tracks} in {count} mixes.",
            len(family.mixes),
            tracks=model.tracks(family.size),
        ),
        "",
    ]
    name = "about-" + page.removesuffix(".md").replace("/", "-")
    apart = apart_html(family.description, None, language)
    if apart:
        indexed[name] = "\n".join(apart)
        lines += [placeholder(name), ""]
    return lines


def mix_section(
    mix: MixView,
    model: PageModel,
    places: dict[int, str],
    columns: Sequence[Column],
    indexed: dict[str, str],
    unindexed: dict[str, str],
) -> list[str]:
    """A mix's heading, downloads and the placeholders of its body and track list, on the
    playlist's page or its family's."""
    page = places.get(mix.number, "")
    lines = mix_heading(mix, model, page)
    searched = indexed if len(model.mixes) <= MAX_SEARCHED_TABLES else unindexed
    facts = mix_facts(mix, model, page)
    if facts:
        unindexed[f"facts-{mix.number}"] = facts
        lines += [placeholder(f"facts-{mix.number}"), ""]
    searched[f"mix-{mix.number}"] = mix_body(mix, model, places, columns)
    lines += [placeholder(f"mix-{mix.number}"), ""]
    player = spotify_player(mix, model.language) if model.spotify_player else ""
    if player:
        unindexed[f"player-{mix.number}"] = player
        lines += [placeholder(f"player-{mix.number}"), ""]
    links = spotify_links(mix, model.language)
    if links:  # unseen by search: a list of URLs says nothing
        unindexed[f"links-{mix.number}"] = links
        lines += [placeholder(f"links-{mix.number}"), ""]
    size = len(mix.tracks)
    if size > model.representatives and model.distinct <= MAX_LISTED_TRACKS:
        name = f"members-{mix.number}"
        every = model.language.tr_n("All {count} track", "All {count} tracks", size)
        table = html_table(member_columns(columns, model.language), mix.running, model.rtl)
        unindexed[name] = f"<details>\n<summary>{every}</summary>\n{table}\n</details>"
        lines += [placeholder(name), ""]
    return lines


def family_section(family: FamilyView, model: PageModel, indexed: dict[str, str]) -> list[str]:
    """A family's heading, how it differs (HTML, into `indexed`) and its mixes."""
    description = family.description
    language = model.language
    tr = language.tr
    mixes = len(family.mixes)
    lines = [
        # A short anchor that stays when the name changes, for links to the family.
        f'<a id="family-{family.number}"></a>',
        "",
        "## "
        + sized_heading(
            tr("Family {number}: {name}", number=family.number, name=isolated(description.name)),
            family.size,
            model,
        ),
        "",
        language.tr_n(
            "{tracks} in {count} mix.",
            "{tracks} in {count} mixes.",
            mixes,
            tracks=model.tracks(family.size),
        ),
        "",
    ]
    apart = apart_html(description, None, language)
    if apart:
        lines += [placeholder(f"family-{family.number}"), ""]
        indexed[f"family-{family.number}"] = "\n".join(apart)
    for mix in family.mixes:
        name = tr("Mix {number}: {name}", number=mix.number, name=isolated(mix.description.name))
        link = f"[{name}](#mix-{mix.number})"
        lines.append(
            "- " + tr("{group}: {tracks}", group=link, tracks=model.tracks(len(mix.tracks)))
        )
    return [*lines, ""]


def mix_heading(mix: MixView, model: PageModel, page: str = "") -> list[str]:
    """A mix's anchor and heading, in the Markdown: the table of contents and search's
    sections come from headings. `page`: its family's page, "" for the playlist's own."""
    tr = model.language.tr
    heading = "##" if model.one_level or page else "###"
    name = tr("Mix {number}: {name}", number=mix.number, name=isolated(mix.description.name))
    return [
        # A short anchor that stays when the name changes, for links to the mix.
        f'<a id="mix-{mix.number}"></a>',
        "",
        f"{heading} {sized_heading(name, len(mix.tracks), model)}",
        "",
    ]


def mix_facts(mix: MixView, model: PageModel, page: str = "") -> str:
    """How long the mix plays and its downloads, as HTML: a large library's pages hold
    hundreds of mixes, and Markdown's links cost most of their conversion. The links start
    from the page's folder token, which the plugin resolves for the page's URL (see
    `playlist.PAGE_FOLDER`); `generate` turns them back into Markdown (see
    `building.generation.markdown_facts`)."""
    tr = model.language.tr
    said = []
    if mix.duration_ms is not None:
        said.append(
            tr("Plays for {duration}.", duration=play_time(mix.duration_ms, model.language))
        )
    if model.downloads:
        stem = download_name(model.downloads, f"mix-{mix.number}")
        if page:  # a family's page is in the downloads' folder
            stem = posixpath.relpath(stem, posixpath.dirname(page))
        said.append(
            tr(
                "Download: [CSV]({csv}) · [Spotify links]({links}) · [M3U8 playlist]({m3u8})",
                csv=f"{PAGE_FOLDER}{stem}.csv",
                links=f"{PAGE_FOLDER}{stem}.txt",
                m3u8=f"{PAGE_FOLDER}{stem}.m3u8",
            )
        )
    return paragraph(" ".join(said)) if said else ""


def play_time(milliseconds: float, language: Language = ENGLISH) -> str:
    """A mix's length to the minute, as `language` writes it: "3 h 41 min", "52 min"."""
    hours, minutes = divmod(max(1, round(milliseconds / 60_000)), 60)
    if not hours:
        return language.tr("{minutes} min", minutes=language.number(minutes))
    return language.tr(
        "{hours} h {minutes} min", hours=language.number(hours), minutes=language.number(minutes)
    )


def sized_heading(heading: str, tracks: int, model: PageModel) -> str:
    """A family's or mix's heading with its size: the table of contents shows both."""
    return model.language.tr("{heading} ({tracks})", heading=heading, tracks=model.tracks(tracks))


def mix_body(
    mix: MixView,
    model: PageModel,
    places: dict[int, str],
    columns: Sequence[Column],
) -> str:
    """A mix's section under its facts, as HTML: what sets it apart, its most typical tracks
    (collapsed on a family's page, where dozens of mixes follow each other) and those on its
    edge. HTML rather than Markdown because a large library has hundreds of mixes, and
    converting their sections took most of a rebuild; the plugin's own words keep their links
    (`html_links`)."""
    description = mix.description
    language = model.language
    shown = model.representatives
    size = len(mix.tracks)
    page = places.get(mix.number, "")
    parts: list[str] = []
    family = next(f for f in model.families if f.number == mix.family)
    if len(family.mixes) > 1:
        parts += apart_html(description, mix.family, language)
    elif model.one_level:
        parts += apart_html(description, None, language)
    if description.octave_tempos:
        parts.append(
            paragraph(
                language.tr_n(
                    "{count} track here measures near half or double the tempo of others: "
                    "often the same beat counted differently, so this mix is not called faster "
                    "or slower.",
                    "{count} tracks here measure near half or double the tempo of others: "
                    "often the same beat counted differently, so this mix is not called faster "
                    "or slower.",
                    description.octave_tempos,
                )
            )
        )
    table = html_table(columns, mix.tracks.head(shown), model.rtl)
    if page:
        summary = language.tr_n(
            "Its {count} most typical track", "Its {count} most typical tracks", min(shown, size)
        )
        parts.append(f"<details><summary>{summary}</summary>\n{table}\n</details>")
    else:
        if size > shown:
            typical = language.tr_n(
                "Its {count} most typical track:", "Its {count} most typical tracks:", shown
            )
            parts.append(paragraph(typical))
        parts.append(table)
    if mix.edge is not None and len(mix.edge):
        parts += edge_html(mix, model, places, page)
    # One element and no blank line: a Markdown processor that meets it inlined (`generate`)
    # passes it through as one raw HTML block.
    return "\n".join(['<div class="playlist-clusters-mix">', *parts, "</div>"])


def edge_html(mix: MixView, model: PageModel, places: dict[int, str], page: str) -> list[str]:
    """The tracks on a mix's edge, each with the sibling it is nearly as close to (`page`:
    the family page the mix is on, "" for the playlist's)."""
    tr = model.language.tr
    names = {m.number: m.description.name for m in model.mixes}
    edge = []
    for row in records(mix.edge):  # see `views.MixView`
        other = int(row["nearer"])
        link = tr("[Mix {number}](#mix-{number})", number=other)
        href = mix_href(other, page, places, model.slug)
        edge.append(
            tr(
                "{track}: close to {mix} ({name})",
                track=track_text(row, model.language),
                mix=link.replace(f"(#mix-{other})", f"({href})"),
                name=isolated(names.get(other, "")),
            )
        )
    intro = tr("On its edge, nearly as close to another mix:")
    if page:  # on a family's page, dozens of mixes follow: collapsed
        summary = intro.rstrip(":：")
        return [f"<details><summary>{summary}</summary>{html_list(edge)}</details>"]
    return [paragraph(intro), html_list(edge)]


# A Markdown link in the plugin's own words: data text cannot form one (`escape_text` turns
# brackets into entities).
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^()\s]*)\)")


def html_links(text: str) -> str:
    """The plugin's words (with data escaped in them) with their Markdown links as HTML, for
    the parts of a page that are HTML. Their targets are anchors on the page or absolute
    URLs: links to files beside the page stay in the Markdown, which every site generator
    rewrites for the page's URL."""

    def link(match: re.Match[str]) -> str:
        label, target = match.groups()
        return f'<a href="{html.escape(target)}">{label}</a>'

    return MARKDOWN_LINK.sub(link, text)


def paragraph(text: str) -> str:
    return f"<p>{html_links(text)}</p>"


def html_list(items: Sequence[str]) -> str:
    return "\n".join(["<ul>", *(f"<li>{html_links(item)}</li>" for item in items), "</ul>"])


def apart_html(
    description: ClusterDescription, family: int | None, language: Language = ENGLISH
) -> list[str]:
    """How a group differs from the other mixes of `family` (or from the rest of the
    playlist): one line in words, then the numbers behind it, collapsed."""
    tr = language.tr
    traits = language.join([lower_first(trait.word) for trait in description.traits])
    parts = []
    if traits and family is None:
        parts.append(paragraph(tr("Next to the rest of the playlist: {traits}.", traits=traits)))
    elif traits:
        line = tr(
            "Next to the other mixes of family {family}: {traits}.", family=family, traits=traits
        )
        parts.append(paragraph(line))
    evidence = evidence_lines(description, family, language)
    if evidence:
        summary = tr("In numbers")
        parts.append(
            f'<details class="evidence"><summary>{summary}</summary>{html_list(evidence)}</details>'
        )
    return parts


def lower_first(word: str) -> str:
    """A word that stands alone ("Happier") as it reads inside a sentence ("happier")."""
    return word[:1].lower() + word[1:]


def evidence_lines(
    description: ClusterDescription, family: int | None, language: Language = ENGLISH
) -> list[str]:
    """The measured differences behind a group's name, against the playlist (`family` None)
    or the other mixes of `family`: one list item each."""
    tr = language.tr
    lines = []
    for trait in description.traits:
        values = {
            "word": trait.word,
            "feature": feature_name(trait.feature, language),
            "here": format_value(trait.feature, trait.cluster_value, language),
            "there": format_value(trait.feature, trait.playlist_value, language),
        }
        if family is None:
            line = tr("{word}: {feature} {here} on average here, {there} in the playlist", **values)
        else:
            line = tr(
                "{word}: {feature} {here} on average here, {there} in family {family}",
                family=family,
                **values,
            )
        lines.append(line)
    for over in description.over_represented:
        values = {
            "value": isolated(value_text(over, language)),
            "tracks": language.tr_n("{count} track here", "{count} tracks here", over.count),
            "share": language.percent(over.cluster_share),
            "reference": language.percent(over.playlist_share),
        }
        kind = tr(KIND_WORDS.get(over.kind, over.kind))
        if family is None:
            line = tr(
                "{kind} {value}: {tracks} ({share}), {reference} of the playlist",
                kind=kind,
                **values,
            )
        else:
            line = tr(
                "{kind} {value}: {tracks} ({share}), {reference} of family {family}",
                kind=kind,
                family=family,
                **values,
            )
        lines.append(line)
    return lines
