"""How the groups were made, in the page's language: the sentences of the page's method
section, from the facts the grouping stage returns."""

from __future__ import annotations

from ..grouping.families import MAX_SIZE_RATIO, Clustering, k_choice
from ..language import ENGLISH, Language


def k_choice_sentence(
    clustering: Clustering, requested: int | None, language: Language = ENGLISH
) -> str:
    """One sentence saying why the page has this many families, for the page to show, in
    `language`."""
    tr, decimal = language.tr, language.decimal
    choice = k_choice(clustering, requested)
    k = choice.k
    if choice.reason == "asked":
        return tr(
            "k = {k}: the number of families set in the site's configuration (clusters:).", k=k
        )
    if choice.reason == "only":
        return tr(
            "k = {k}: the only number of families automatic mode tries for {tracks} tracks "
            "(silhouette {silhouette}).",
            k=k,
            tracks=language.number(choice.tracks),
            silhouette=decimal(choice.silhouette),
        )
    span = f"k = {choice.tried[0]}..{choice.tried[-1]}"
    if choice.reason == "balanced":
        return tr(
            "k = {k}: the best separated (silhouette {silhouette}) of the clusterings of {span} "
            "whose largest family is at most {ratio} times its smallest.",
            k=k,
            silhouette=decimal(choice.silhouette),
            span=span,
            ratio=MAX_SIZE_RATIO,
        )
    values = {
        "k": k,
        "silhouette": decimal(choice.silhouette),
        "margin": decimal(choice.margin, 3),
        "span": span,
        "top": decimal(choice.top),
        "best": choice.best,
    }
    if choice.best == k:
        sentence = tr(
            "k = {k}: the smallest number of families whose separation (silhouette "
            "{silhouette}) is within {margin} of the best of {span}",
            **values,
        )
    else:
        sentence = tr(
            "k = {k}: the smallest number of families whose separation (silhouette "
            "{silhouette}) is within {margin} of the best of {span} ({top} at k = {best})",
            **values,
        )
    if choice.skipped:
        sentence += tr(
            "; k = {skipped} scored as well but left a family more than {ratio} times larger "
            "than another",
            skipped=", ".join(str(j) for j in choice.skipped),
            ratio=MAX_SIZE_RATIO,
        )
    return sentence + tr(".")  # a sentence's full stop: "。" in Japanese
