"""How the groups were made, in the page's language: the sentences of the page's method
section, from the facts the grouping stage returns."""

from __future__ import annotations

from ..describing.differences import separation_words
from ..grouping.families import MAX_SIZE_RATIO, Clustering, k_choice
from ..grouping.features import BLOCK_WEIGHT, FeatureMatrix
from ..grouping.mixes import MAX_MIXES, MIN_MIX_SHARE, Grouping
from ..language import ENGLISH, Language
from ..playlist import CONTINUOUS_FEATURES, PlaylistOptions
from .page_model import in_a_row


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


def method_sentences(
    grouping: Grouping, options: PlaylistOptions, matrix: FeatureMatrix, words: Language = ENGLISH
) -> list[str]:
    """How the groups were made, in statistics' words, for the page's collapsed block."""
    tr = words.tr
    families = grouping.families
    sentences = [features_sentence(matrix, words)]
    if grouping.warm and not families.scores:
        sentences.append(
            words.tr_n(
                "{count} family, as in the previous build of this playlist: k-means started "
                "from its centre, so that a few changed tracks move only tracks near a border.",
                "{count} families, as in the previous build of this playlist: k-means started "
                "from their centres, so that a few changed tracks move only tracks near a "
                "border.",
                families.count,
            )
        )
    else:
        sentences.append(k_choice_sentence(families, options.clusters, words))
    smallest = max(2, int(options.mix_size * MIN_MIX_SHARE))
    sentence = tr(
        "Each family is split by k-means into round(tracks / {size}) mixes (at least 1, at most "
        "{most}); a mix under {smallest} tracks is merged into its nearest sibling.",
        size=options.mix_size,
        most=MAX_MIXES,
        smallest=smallest,
    )
    in_all = words.tr_n("{count} mix in all.", "{count} mixes in all.", grouping.mix_count)
    warm = [tr("The mixes started from the previous build's.")] if grouping.warm else []
    sentences.append(in_a_row(words, sentence, in_all, *warm))
    silhouette = families.silhouette
    by_family = "; ".join(
        f"{number + 1}: {words.decimal(score)}" for number, score in enumerate(families.separation)
    )
    sentences.append(
        tr(
            "The families are {separation}: mean silhouette {silhouette} (from −1 to 1; above "
            "0.5 well separated, at 0.25 or below the tracks form a continuum and the families "
            "are regions of it, whose edges could as well belong to a neighbour). By family: "
            "{by_family}.",
            separation=separation_words(silhouette, words),
            silhouette=words.decimal(silhouette),
            by_family=by_family,
        )
    )
    horizontal, vertical = families.explained_variance
    sentences.append(
        tr(
            "The map shows the tracks' first two principal components (PCA), which carry "
            "{horizontal} and {vertical} of the differences between tracks.",
            horizontal=words.percent(horizontal),
            vertical=words.percent(vertical),
        )
    )
    return sentences


def features_sentence(matrix: FeatureMatrix, words: Language) -> str:
    """What the tracks were grouped on, and how each was scaled."""
    tr = words.tr
    audio = [name for name in matrix.names if name in CONTINUOUS_FEATURES]
    if audio and len(audio) == len(matrix.names):
        scaled = tr(
            "each standardized (mean 0, standard deviation 1) and clipped at 3 standard deviations"
        )
    elif audio:
        scaled = tr(
            "the audio features standardized and clipped at 3 standard deviations, all of "
            "them together weighing 1 against {weight} for each of the others",
            weight=words.decimal(BLOCK_WEIGHT),
        )
    else:
        scaled = tr("each block scaled to the same total variance")
    described = words.join([tr(name) for name in matrix.described_as])
    return tr("Grouped on {features}, {scaled}.", features=described, scaled=scaled)
