"""The figures' rules, checked on the figures themselves (the browser tests check how they
show on a page): the scatter's layout, the SVG's tooltips and links, the profile, the
thumbnail, colours that read on white and on slate, and byte-identical output."""

import io
import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib import rc_context
from matplotlib.colors import to_rgb
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image
from synthetic import exportify_csv, synthetic_tracks

from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import CONTINUOUS_FEATURES, PlaylistOptions
from mkdocs_playlist_clusters.presenting.colours import PALETTE
from mkdocs_playlist_clusters.presenting.figure_style import (
    DARK_BACKGROUND,
    DPI,
    LINE_COLOUR,
    SMALLEST_FONT_PT,
    TEXT_COLOUR,
    WIDTH_INCHES,
)
from mkdocs_playlist_clusters.presenting.figures import (
    AxisTitle,
    cluster_colour,
    point_size,
    scatter_figure,
    scatter_png,
    scatter_svg,
    thumbnail_png,
)
from mkdocs_playlist_clusters.presenting.marks import MIX_RING_REACH
from mkdocs_playlist_clusters.presenting.profile import profile_figure, profile_svg
from mkdocs_playlist_clusters.presenting.svg import FOLLOW_THE_PAGE, MAX_SVG_POINTS, svg_fits

LIGHT_BACKGROUND = "#FFFFFF"  # Material's default scheme, the built-in `mkdocs` theme

SVG = "{http://www.w3.org/2000/svg}"
FEATURES = CONTINUOUS_FEATURES  # the rows of an audio playlist's profile

TITLES = (
    AxisTitle("Principal component 1: 41% of the variance", "Mellow, Quiet", "Energetic, Loud"),
    AxisTitle("Principal component 2: 17% of the variance", "Slow, Wordy", "Fast, Melodic"),
)
LONG_TITLES = (
    AxisTitle(
        "Principal component 1: 27% of the variance",
        "Universal Music Group International, Republic Records",
        "SM Entertainment Company Limited, Red Velvet",
    ),
    TITLES[1],
)


def clusters(count: int, per_cluster: int = 20) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(count)
    labels = np.repeat(np.arange(count), per_cluster)
    centres = rng.normal(0, 4, (count, 2))
    return centres[labels] + rng.normal(0, 0.5, (len(labels), 2)), labels


def drawn_texts(figure):
    figure.canvas.draw()
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("count", [2, 5, 16, 30])
def test_no_text_is_smaller_than_the_smallest_font(count):
    figure = scatter_figure(*clusters(count), TITLES)
    sizes = [text.get_fontsize() for text in drawn_texts(figure)]
    assert min(sizes) == SMALLEST_FONT_PT


@pytest.mark.parametrize("count", [2, 5, 16, 30])
def test_legend_sits_below_the_plot_inside_the_figure(count):
    figure = scatter_figure(*clusters(count), TITLES)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = figure.legends[0].get_window_extent(renderer)
    plot = figure.axes[0].get_window_extent(renderer)
    assert legend.y1 < plot.y0
    assert legend.x0 >= 0 and legend.x1 <= figure.bbox.width
    assert figure.get_figwidth() == WIDTH_INCHES


@pytest.mark.parametrize("titles", [TITLES, LONG_TITLES], ids=["short", "long"])
def test_horizontal_axis_ends_do_not_collide(titles):
    figure = scatter_figure(*clusters(3), titles)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    texts = drawn_texts(figure)
    left = next(t for t in texts if t.get_text().startswith("←"))
    right = next(t for t in texts if t.get_text().endswith("→"))
    assert left.get_window_extent(renderer).x1 < right.get_window_extent(renderer).x0
    for text in (left, right):
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= figure.bbox.width


def test_dollar_signs_in_names_are_text_not_mathtext():
    titles = (AxisTitle("PC 1", "$uicideboy$, A$AP", "x_{1}^2"), AxisTitle("PC 2", "a$b$c", "$"))
    texts = drawn_texts(scatter_figure(*clusters(2), titles))
    assert "↓ a$b$c" in {t.get_text() for t in texts}
    assert not [t for t in texts if "$" in t.get_text() and t.get_parse_math()]
    profile = profile_figure(np.zeros((2, 2)), ["$a$ genre", "b"], [1, 1])
    assert not [t for t in drawn_texts(profile) if t.get_parse_math()]


def test_png_is_transparent_deterministic_and_as_wide_as_declared():
    data = scatter_png(*clusters(4), TITLES)
    assert data == scatter_png(*clusters(4), TITLES)
    image = Image.open(io.BytesIO(data))
    assert image.width == round(WIDTH_INCHES * DPI)
    alpha = np.asarray(image.convert("RGBA"))[..., 3]
    assert alpha[0, 0] == 0 and (alpha == 0).mean() > 0.5  # the page shows through


# --- Colours on white and on slate -------------------------------------------------------------


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(colour: str) -> np.ndarray:
    """CIE L*a*b* (D65) of an sRGB colour."""
    rgb = np.array(
        [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    )
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    x, y, z = xyz @ rgb / np.array([0.9505, 1.0, 1.089])
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_the_pages_backgrounds_are_material_s():
    assert luminance(LIGHT_BACKGROUND) == pytest.approx(1.0)
    # Material's slate: hsl(225, 15%, 14%)
    assert contrast(DARK_BACKGROUND, "#1e2129") == pytest.approx(1.0, abs=0.02)


@pytest.mark.parametrize("colour", PALETTE)
@pytest.mark.parametrize("background", [LIGHT_BACKGROUND, DARK_BACKGROUND], ids=["white", "slate"])
def test_every_cluster_colour_contrasts_with_both_backgrounds(colour, background):
    assert contrast(colour, background) >= 3.0  # WCAG 1.4.11, graphical objects


def ciede2000(first: np.ndarray, second: np.ndarray) -> float:
    """CIEDE2000 colour difference of two L*a*b* colours (Sharma, Wu and Dalal, 2005)."""
    (l1, a1, b1), (l2, a2, b2) = first, second
    mean_chroma = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(mean_chroma**7 / (mean_chroma**7 + 25.0**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    big_dh = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    mean_l, mean_c = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    else:
        mean_h = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(mean_h - 30))
        + 0.24 * np.cos(np.radians(2 * mean_h))
        + 0.32 * np.cos(np.radians(3 * mean_h + 6))
        - 0.20 * np.cos(np.radians(4 * mean_h - 63))
    )
    rotation = (
        -np.sin(np.radians(60 * np.exp(-(((mean_h - 275) / 25) ** 2))))
        * 2
        * np.sqrt(mean_c**7 / (mean_c**7 + 25.0**7))
    )
    sl = 1 + 0.015 * (mean_l - 50) ** 2 / np.sqrt(20 + (mean_l - 50) ** 2)
    sc, sh = 1 + 0.045 * mean_c, 1 + 0.015 * mean_c * t
    dl, dc = (l2 - l1) / sl, (c2 - c1) / sc
    return float(np.sqrt(dl**2 + dc**2 + (big_dh / sh) ** 2 + rotation * dc * (big_dh / sh)))


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, 2.5, 0), (73, 25, -18), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((50, 2.5, 0), (50, 0, -2.5), 4.3065),
    ],
)
def test_the_colour_difference_is_ciede2000(first, second, expected):
    """Pairs from Sharma, Wu and Dalal's CIEDE2000 test data."""
    assert ciede2000(np.array(first), np.array(second)) == pytest.approx(expected, abs=1e-4)


def test_cluster_colours_stay_distinguishable_from_each_other():
    first_ten = [lab(colour) for colour in PALETTE[:10]]  # the colours of up to 10 clusters
    closest = min(np.linalg.norm(a - b) for a, b in itertools.combinations(first_ten, 2))
    assert closest >= 15  # CIE76: a clear difference side by side
    assert len({colour.lower() for colour in PALETTE}) == len(PALETTE)


def test_thirty_clusters_get_thirty_clearly_different_colours():
    """`clusters:` allows 30: every pair of their colours differs clearly (CIEDE2000 >= 12;
    2.3 is a just-noticeable difference), the first ten by more."""
    colours = [lab(cluster_colour(number)) for number in range(30)]
    differences = {
        (a, b): ciede2000(colours[a], colours[b]) for a, b in itertools.combinations(range(30), 2)
    }
    assert min(differences.values()) >= 12
    assert min(d for (a, b), d in differences.items() if b < 10) >= 14


def test_text_reads_on_its_halo_and_lines_on_both_backgrounds():
    assert contrast(TEXT_COLOUR, LIGHT_BACKGROUND) >= 7  # the glyph on its white halo
    for background in (LIGHT_BACKGROUND, DARK_BACKGROUND):
        assert contrast(LINE_COLOUR, background) >= 3.0


def test_badge_numbers_read_on_their_disc():
    for colour in PALETTE:
        assert contrast("white", colour) >= 3.0  # bold 10.5 pt on the cluster's colour


# --- The SVG scatter -------------------------------------------------------------------------


def tracks_svg(projection, labels, tooltips=None, links=None):
    count = len(labels)
    tooltips = tooltips or [f"Track {i} — Artist {i}" for i in range(count)]
    links = links or [f"https://open.spotify.com/track/{i:022d}" for i in range(count)]
    return scatter_svg(projection, labels, TITLES, tooltips, links)


def point_titles(root):
    """(title text, the element it titles, its link or None) of every point, in document order."""
    parents = {child: parent for parent in root.iter() for child in parent}
    found = []
    for element in root.iter():
        title = element.find(f"{SVG}title")
        if title is not None:
            parent = parents[element]
            link = parent.get("href") if parent.tag == f"{SVG}a" else None
            found.append((title.text, element, link))
    return found, parents


def test_svg_has_one_title_per_point_on_the_right_point():
    projection, labels = clusters(4, per_cluster=15)
    root = ET.fromstring(tracks_svg(projection, labels))
    titles, parents = point_titles(root)
    assert sorted(text for text, _, _ in titles) == sorted(
        f"Track {i} — Artist {i}" for i in range(60)
    )
    by_cluster: dict[str, list[tuple[float, int]]] = {}
    for text, element, link in titles:
        track = int(text.split()[1])
        assert link == f"https://open.spotify.com/track/{track:022d}"
        ancestor = element
        while not (ancestor.get("id") or "").endswith("-points"):
            ancestor = parents[ancestor]
        assert ancestor.get("id") == f"cluster-{labels[track] + 1}-points"
        # the point is drawn in its cluster's colour (set on the point or a group around it)
        styles = []
        node = element
        while node is not root:
            styles.append(node.get("style") or "")
            node = parents[node]
        assert any(f"fill: {cluster_colour(labels[track]).lower()}" in style for style in styles)
        by_cluster.setdefault(ancestor.get("id"), []).append((float(element.get("cx")), track))
    # the title sits on the track's own point: x positions rank like the tracks' x values
    for points in by_cluster.values():
        drawn = [x for x, _ in sorted(points, key=lambda point: projection[point[1], 0])]
        assert all(a <= b + 0.01 for a, b in itertools.pairwise(drawn))  # written to 0.01 pt


def test_svg_tooltips_are_text_and_the_svg_stays_well_formed():
    projection, labels = clusters(2, per_cluster=4)
    names = [
        "<script>alert(1)</script>",
        "a & b",
        "Quote \" and ' — 東京",
        "control\x00\x0b\x1f chars\ufffe\ud800",
        "]]> <!-- --> <![CDATA[x]]>",
        "Emoji 🎸 \u202e reversed",
        "&amp; &lt;b&gt;",
        "<title>nested</title>",
    ]
    data = tracks_svg(projection, labels, tooltips=names)
    root = ET.fromstring(data)  # raises if the XML is not well-formed
    texts = sorted(text for text, _, _ in point_titles(root)[0])
    expected = [re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\ud800]", "", name) for name in names]
    assert texts == sorted(expected)
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in data and b"a &amp; b" in data
    assert not [e for e in root.iter() if e.tag == f"{SVG}foreignObject"]
    # One script, the SVG's own (it follows the page's colour scheme), never data's.
    assert [e.text for e in root.iter(f"{SVG}script")] == [FOLLOW_THE_PAGE]


def test_svg_links_only_where_given_leave_an_embed_and_run_no_script():
    projection, labels = clusters(3, per_cluster=5)
    links = [f"https://open.spotify.com/track/{i:022d}" if i % 3 else None for i in range(15)]
    data = tracks_svg(projection, labels, links=links)
    root = ET.fromstring(data)
    titles, _ = point_titles(root)
    for text, _, link in titles:
        track = int(text.split()[1])
        assert link == links[track]
    anchors = list(root.iter(f"{SVG}a"))
    assert len(anchors) == sum(link is not None for link in links)
    assert {anchor.get("target") for anchor in anchors} == {"_top"}
    attributes = {name.lower() for element in root.iter() for name in element.attrib}
    assert not [name for name in attributes if name.startswith("on")]
    assert b"javascript:" not in data.lower()


@pytest.mark.parametrize(
    ("tooltips", "links"),
    [
        (["only one"], [None] * 10),
        ([f"t{i}" for i in range(10)], ["javascript:alert(1)"] + [None] * 9),
    ],
    ids=["counts", "scheme"],
)
def test_svg_rejects_bad_tooltips_or_links(tooltips, links):
    projection, labels = clusters(2, per_cluster=5)
    with pytest.raises(ValueError, match="scatter_svg"):
        scatter_svg(projection, labels, TITLES, tooltips, links)


def test_svg_text_has_a_halo():
    root = ET.fromstring(tracks_svg(*clusters(3)))
    parents = {child: parent for parent in root.iter() for child in parent}
    dark = [
        g
        for g in root.iter(f"{SVG}g")
        if (g.get("style") or "").startswith(f"fill: {TEXT_COLOUR.lower()}")
    ]
    assert len(dark) >= 8  # axis names and ends, legend entries
    for group in dark:
        while group.get("filter") is None:
            group = parents[group]
        halo = root.find(f".//{SVG}filter[@id='{group.get('filter')[5:-1]}']")
        assert halo.find(f"{SVG}feMorphology").get("operator") == "dilate"
        assert halo.find(f"{SVG}feFlood").get("flood-color") == "#ffffff"


def badge_centre(root: ET.Element, number: int) -> np.ndarray:
    """The centre of cluster `number`'s badge: the middle of its disc's path."""
    badge = root.find(f".//{SVG}g[@id='cluster-{number + 1}-badge']")
    disc = badge.find(f".//{SVG}path")
    xy = np.array(re.findall(r"(-?[\d.]+) (-?[\d.]+)", disc.get("d")), dtype=float)
    return (xy.min(axis=0) + xy.max(axis=0)) / 2


def test_svg_points_are_where_matplotlib_draws_them():
    """The points written from the data land where matplotlib centres each cluster's badge
    (on the mean of its points), within a tenth of a point."""
    projection, labels = clusters(4, per_cluster=15)
    root = ET.fromstring(tracks_svg(projection, labels))
    for number in range(4):
        group = root.find(f".//{SVG}g[@id='cluster-{number + 1}-points']")
        points = [(float(c.get("cx")), float(c.get("cy"))) for c in group.iter(f"{SVG}circle")]
        assert len(points) == 15
        assert np.abs(np.mean(points, axis=0) - badge_centre(root, number)).max() < 0.1


def test_svg_points_keep_the_png_s_size():
    projection, labels = clusters(3)
    root = ET.fromstring(tracks_svg(projection, labels))
    radii = {c.get("r") for c in root.iter(f"{SVG}circle")}
    assert radii == {f"{point_size(len(labels)) ** 0.5 / 2:.2f}"}  # area s in pt², as scatter


# --- Determinism -------------------------------------------------------------------------------


def test_every_figure_is_byte_identical_whatever_the_global_settings():
    projection, labels = clusters(5)
    shifts = np.random.default_rng(3).normal(0, 1, (5, len(FEATURES)))
    make = {
        "svg": lambda: tracks_svg(projection, labels),
        "png": lambda: scatter_png(projection, labels, TITLES),
        "thumbnail": lambda: thumbnail_png(projection, labels),
        "profile": lambda: profile_svg(shifts, FEATURES, [20] * 5),
    }
    first = {name: function() for name, function in make.items()}
    with rc_context({"svg.hashsalt": "something else", "svg.fonttype": "none"}):
        second = {name: function() for name, function in make.items()}
    assert first == second
    assert b"<dc:date" not in first["svg"] and b"Matplotlib v" not in first["svg"]


# --- Thumbnail ---------------------------------------------------------------------------------


def test_thumbnail_is_small_transparent_and_coloured_by_cluster():
    projection, labels = clusters(3, per_cluster=40)
    image = Image.open(io.BytesIO(thumbnail_png(projection, labels))).convert("RGBA")
    assert image.size == (480, 340)  # 240 x 170 CSS px at 2x
    pixels = np.asarray(image)
    assert (pixels[..., 3] == 0).mean() > 0.7
    opaque = pixels[pixels[..., 3] > 200][:, :3]
    for number in range(3):
        colour = np.array(to_rgb(cluster_colour(number))) * 255
        assert (np.abs(opaque - colour).max(axis=1) < 40).sum() > 20, (
            f"no points of cluster {number}"
        )


def test_thumbnail_of_a_large_playlist_stays_small():
    rng = np.random.default_rng(0)
    data = thumbnail_png(rng.normal(size=(8000, 2)), rng.integers(0, 10, 8000))
    assert len(data) < 60_000  # one of these per playlist on the overview


# --- Profile -----------------------------------------------------------------------------------


def profile_shifts(count: int) -> np.ndarray:
    shifts = np.random.default_rng(count).normal(0, 1.3, (count, len(FEATURES)))
    shifts[0, 1] = -12.34  # a far-off small cluster
    return shifts


@pytest.mark.parametrize("count", range(2, 11))
def test_profile_fits_every_value_in_its_cell_at_any_k(count):
    figure = profile_figure(profile_shifts(count), FEATURES, [3000 + count] * count)
    texts = drawn_texts(figure)
    renderer = figure.canvas.get_renderer()
    assert min(text.get_fontsize() for text in texts) >= SMALLEST_FONT_PT
    assert figure.get_figwidth() == WIDTH_INCHES
    axes = figure.axes[0]
    cell_width = axes.transData.transform((0.92, 0))[0] - axes.transData.transform((0, 0))[0]
    values = [
        t
        for t in texts
        if t.get_bbox_patch() is None and re.fullmatch(r"[-−]?\d+(\.\d)?", t.get_text())
    ]
    assert len(values) == count * len(FEATURES)
    for text in values:
        assert text.get_window_extent(renderer).width < cell_width
    shown = {t.get_text() for t in texts}
    assert {"−12", "-12"} & shown
    assert set(FEATURES) <= shown
    assert {str(number) for number in range(1, count + 1)} <= shown  # cluster badges
    for text in texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= figure.bbox.width


def test_profile_shows_a_missing_feature_as_n_a():
    shifts = profile_shifts(3)
    shifts[:, 2] = np.nan
    figure = profile_figure(shifts, FEATURES, [10, 20, 30])
    texts = [t.get_text() for t in drawn_texts(figure)]
    assert texts.count("n/a") == 3
    assert "nan" not in " ".join(texts).lower()
    ET.fromstring(profile_svg(shifts, FEATURES, [10, 20, 30]))


def test_profile_values_round_to_one_decimal_without_negative_zero():
    shifts = np.array([[0.04, -0.04, 1.26, -1.26], [2.0, -2.0, 0.0, 0.55]])
    figure = profile_figure(shifts, FEATURES[:4], [1, 2])
    texts = {t.get_text() for t in drawn_texts(figure)}
    assert {"0.0", "1.3", "−1.3", "2.0", "−2.0"} <= texts
    assert "−0.0" not in texts and "-0.0" not in texts


def test_profile_heads_columns_with_sizes():
    figure = profile_figure(profile_shifts(3), FEATURES, [7, 1234, 25000])
    texts = {t.get_text() for t in drawn_texts(figure)}
    assert {"7", "1.2k", "25k"} <= texts


def test_profile_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="profile"):
        profile_figure(profile_shifts(3), FEATURES[:4], [1, 2, 3])


# --- Many clusters and mixes -------------------------------------------------------------------


def crowded(count: int, per_cluster: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """`count` clusters whose centres all lie near the middle, as on a continuum."""
    rng = np.random.default_rng(count)
    labels = np.repeat(np.arange(count), per_cluster)
    return rng.normal(0, 1, (len(labels), 2)) + labels[:, None] * 0.01, labels


def nested_mixes(labels: np.ndarray, per_family: int) -> np.ndarray:
    """`per_family` mixes in each family, numbered family by family."""
    order = np.zeros(len(labels), dtype=int)
    for family in np.unique(labels):
        members = np.flatnonzero(labels == family)
        order[members] = np.arange(len(members)) * per_family // len(members)
    return labels * per_family + order


def badges(figure):
    """(disc box, badge) of every cluster badge, once the figure is drawn."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    found = []
    for text in figure.axes[0].texts:
        patch = text.get_bbox_patch()
        if patch is not None:
            found.append((patch.get_window_extent(renderer), text))
    return found


def mix_numbers(figure):
    figure.canvas.draw()
    return [
        text
        for text in figure.axes[0].texts
        if text.get_bbox_patch() is None and text.get_text().isdigit()
    ]


def overlapping(boxes) -> list[tuple[int, int]]:
    return [
        (a, b)
        for (a, first), (b, second) in itertools.combinations(enumerate(boxes), 2)
        if first.overlaps(second)
    ]


@pytest.mark.parametrize("make", [clusters, crowded], ids=["apart", "on-one-spot"])
@pytest.mark.parametrize("count", [8, 30])
def test_badges_do_not_hide_each_other_and_point_to_their_centre(make, count):
    projection, labels = make(count)
    figure = scatter_figure(projection, labels, TITLES)
    found = badges(figure)
    assert len(found) == count
    assert overlapping([box for box, _ in found]) == []
    axes = figure.axes[0]
    corners = [text for text in axes.texts if text.get_text()[:1] in "↑↓"]
    assert len(corners) == 2
    for corner in corners:  # the vertical axis's ends, inside the plot
        extent = corner.get_window_extent()
        assert not [box for box, _ in found if box.overlaps(extent)]
    plot = axes.get_window_extent()
    centres = {}
    for number in range(count):
        centres[str(number + 1)] = axes.transData.transform(
            projection[labels == number].mean(axis=0)
        )
    for box, badge in found:
        assert plot.x0 - 1 <= box.x0 and box.x1 <= plot.x1 + 1
        assert plot.y0 - 1 <= box.y0 and box.y1 <= plot.y1 + 1
        centre = centres[badge.get_text()]
        if not box.contains(*centre):  # moved away: a line leads back to the centre
            assert badge.arrow_patch.get_visible()
            ends = badge.arrow_patch.get_path().vertices
            assert np.abs(ends - centre).sum(axis=1).min() < 2


def test_badges_stay_on_their_centre_when_nothing_overlaps():
    projection, labels = clusters(3)
    # far apart, side by side at mid-height (away from the vertical axis's ends in the corners)
    projection = np.column_stack([projection[:, 0] + labels * 40.0, projection[:, 1]])
    figure = scatter_figure(projection, labels, TITLES)
    for box, badge in badges(figure):
        number = int(badge.get_text()) - 1
        centre = figure.axes[0].transData.transform(projection[labels == number].mean(axis=0))
        assert np.hypot(*(np.array([box.x0 + box.x1, box.y0 + box.y1]) / 2 - centre)) < 0.5
        assert not badge.arrow_patch.get_visible()


def test_the_legend_of_thirty_families_with_mixes_is_readable():
    projection, labels = crowded(30)
    figure = scatter_figure(projection, labels, TITLES, mixes=nested_mixes(labels, 5))
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = figure.legends[0]
    entries = [text.get_window_extent(renderer) for text in legend.get_texts()]
    assert len(entries) == 31  # 30 families and the mix marker
    assert overlapping(entries) == []
    assert min(text.get_fontsize() for text in legend.get_texts()) >= SMALLEST_FONT_PT
    box = legend.get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= figure.bbox.width and box.y0 >= 0
    assert legend.get_title().get_text() == "Family"
    assert legend.get_texts()[0].get_text() == "#1"  # the page and the profile give sizes
    assert legend.get_texts()[-1].get_text() == "centre of a mix"
    rows = {round(box.y0) for box in entries}
    assert len(rows) <= 7


def test_the_legend_gives_sizes_and_mixes_up_to_ten_families():
    projection, labels = clusters(10, per_cluster=130)
    figure = scatter_figure(projection, labels, TITLES, mixes=nested_mixes(labels, 12))
    texts = [text.get_text() for text in figure.legends[0].get_texts()]
    assert texts[0] == "#1 (130 tracks, 12 mixes)" and texts[-1] == "centre of a mix"


def test_mix_centres_are_rings_in_their_family_s_colour():
    projection, labels = clusters(4, per_cluster=30)
    mixes = nested_mixes(labels, 3)
    figure = scatter_figure(projection, labels, TITLES, mixes=mixes)
    rings = next(c for c in figure.axes[0].collections if c.get_gid() == "mix-centres")
    assert len(rings.get_offsets()) == 12
    for mix, (offset, edge) in enumerate(
        zip(rings.get_offsets(), rings.get_edgecolors(), strict=True)
    ):
        members = mixes == mix
        assert np.allclose(offset, projection[members].mean(axis=0))
        assert np.allclose(edge[:3], to_rgb(cluster_colour(labels[members][0])))
    assert len(rings.get_facecolors()) == 0  # a ring: the points show through


def test_mixes_are_numbered_up_to_thirty_without_hiding_badges_or_each_other():
    projection, labels = crowded(6)
    figure = scatter_figure(projection, labels, TITLES, mixes=nested_mixes(labels, 5))
    numbers = mix_numbers(figure)
    assert sorted(int(text.get_text()) for text in numbers) == list(range(1, 31))
    renderer = figure.canvas.get_renderer()
    boxes = [Text.get_window_extent(text, renderer) for text in numbers]
    boxes += [box for box, _ in badges(figure)]
    assert overlapping(boxes) == []
    assert min(text.get_fontsize() for text in numbers) >= SMALLEST_FONT_PT


def ring_boxes(figure):
    """The box each mix's ring covers (its white line included), in display pixels, once the
    figure is drawn."""
    figure.canvas.draw()
    axes = figure.axes[0]
    rings = next(c for c in axes.collections if c.get_gid() == "mix-centres")
    reach = MIX_RING_REACH * figure.dpi / 72
    return [
        Bbox.from_extents(x - reach, y - reach, x + reach, y + reach)
        for x, y in axes.transData.transform(rings.get_offsets())
    ]


def test_rings_and_badges_do_not_hide_each_other():
    """Six families on one spot, five mixes each: before they were parted, rings lay on rings
    and badges on rings. A ring moves by no more than it takes."""
    projection, labels = crowded(6)
    mixes = nested_mixes(labels, 5)
    figure = scatter_figure(projection, labels, TITLES, mixes=mixes)
    rings = ring_boxes(figure)
    assert len(rings) == 30
    assert overlapping(rings) == []
    badge_boxes = [box for box, _ in badges(figure)]
    numbers = [Text.get_window_extent(text) for text in mix_numbers(figure)]
    assert [(a, b) for a in rings for b in badge_boxes + numbers if a.overlaps(b)] == []
    axes = figure.axes[0]
    under = next(c for c in axes.collections if c.get_gid() == "mix-centres-under")
    coloured = next(c for c in axes.collections if c.get_gid() == "mix-centres")
    assert np.allclose(under.get_offsets(), coloured.get_offsets())


def test_rings_apart_stay_on_their_centres():
    mixes = np.repeat(np.arange(8), 10)
    labels = mixes // 2
    rng = np.random.default_rng(3)
    # Eight mixes on a ring, far from each other (and from the plot's corners).
    angles = mixes * np.pi / 4
    projection = np.column_stack([np.cos(angles), np.sin(angles)]) * 10
    projection += rng.normal(0, 0.3, projection.shape)
    figure = scatter_figure(projection, labels, TITLES, mixes=mixes)
    ring_boxes(figure)
    rings = next(c for c in figure.axes[0].collections if c.get_gid() == "mix-centres")
    centres = [projection[mixes == mix].mean(axis=0) for mix in range(8)]
    assert np.allclose(rings.get_offsets(), centres)


def test_many_mixes_get_rings_but_no_numbers():
    projection, labels = crowded(8, per_cluster=100)
    figure = scatter_figure(projection, labels, TITLES, mixes=nested_mixes(labels, 25))
    rings = next(c for c in figure.axes[0].collections if c.get_gid() == "mix-centres")
    assert len(rings.get_offsets()) == 200
    assert mix_numbers(figure) == []


def test_mixes_reach_the_png_and_the_svg_and_stay_deterministic():
    projection, labels = clusters(3, per_cluster=20)
    mixes = nested_mixes(labels, 2)
    plain = scatter_png(projection, labels, TITLES)
    marked = scatter_png(projection, labels, TITLES, mixes=mixes)
    assert marked != plain and marked == scatter_png(projection, labels, TITLES, mixes=mixes)
    tooltips = [f"Track {i}" for i in range(60)]
    links = [None] * 60
    data = scatter_svg(projection, labels, TITLES, tooltips, links, mixes=mixes)
    assert data == scatter_svg(projection, labels, TITLES, tooltips, links, mixes=mixes)
    root = ET.fromstring(data)
    assert len(point_titles(root)[0]) == 60
    assert root.find(f".//{SVG}g[@id='mix-centres']") is not None
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("mixes", [np.zeros(3, dtype=int), np.full(10, -1)], ids=["count", "sign"])
def test_a_mix_per_track_is_required(mixes):
    projection, labels = clusters(2, per_cluster=5)
    with pytest.raises(ValueError, match="a mix per track"):
        scatter_figure(projection, labels, TITLES, mixes=mixes)


@pytest.mark.parametrize("count", [11, 20, 30])
def test_profile_of_many_clusters_has_a_row_per_cluster_and_stays_readable(count):
    figure = profile_figure(profile_shifts(count), FEATURES, [3000 + count] * count)
    texts = drawn_texts(figure)
    renderer = figure.canvas.get_renderer()
    assert figure.get_figwidth() == WIDTH_INCHES
    assert min(text.get_fontsize() for text in texts) >= SMALLEST_FONT_PT
    axes = figure.axes[0]
    cell = axes.transData.transform((0.92, 0.88)) - axes.transData.transform((0, 0))
    values = [
        t
        for t in texts
        if t.get_bbox_patch() is None and re.fullmatch(r"[-−]?\d+(\.\d)?", t.get_text())
    ]
    assert len(values) == count * len(FEATURES)
    for text in values:
        box = text.get_window_extent(renderer)
        assert box.width < abs(cell[0]) and box.height < abs(cell[1])
    shown = {t.get_text() for t in texts}
    assert set(FEATURES) <= shown
    assert {str(number) for number in range(1, count + 1)} <= shown
    boxes = [Text.get_window_extent(t, renderer) for t in texts if t not in values]
    boxes += [t.get_bbox_patch().get_window_extent(renderer) for t in texts if t.get_bbox_patch()]
    for box in boxes:
        assert box.x0 >= 0 and box.x1 <= figure.bbox.width
        assert box.y0 >= 0 and box.y1 <= figure.bbox.height
    heads = [Text.get_window_extent(t, renderer) for t in texts if t not in values]
    assert overlapping(heads) == []


@pytest.mark.parametrize(
    "case",
    [
        (np.zeros((0, 2)), np.zeros(0, dtype=int), np.zeros(0, dtype=int)),
        (np.zeros((50, 2)), np.repeat(np.arange(5), 10), np.repeat(np.arange(10), 5)),
        (np.arange(20.0).reshape(10, 2), np.repeat([0, 1], 5), np.repeat([0, 3], 5)),
    ],
    ids=["no-tracks", "all-on-one-spot", "unused-mix-numbers"],
)
def test_odd_mixes_still_draw(case):
    projection, labels, mixes = case
    count = len(labels)
    scatter_png(projection, labels, TITLES, mixes=mixes)
    ET.fromstring(scatter_svg(projection, labels, TITLES, ["t"] * count, [None] * count))
    if count:
        numbers = {
            text.get_text()
            for text in mix_numbers(scatter_figure(projection, labels, TITLES, mixes=mixes))
        }
        assert numbers == {str(mix + 1) for mix in np.unique(mixes).tolist()}


def test_an_svg_of_long_names_is_left_for_the_png():
    """The SVG's limit counts bytes as well as tracks: 2,000 tracks named with 10,000
    characters made a 40 MB SVG (and a 49 MB page)."""
    link = "https://open.spotify.com/track/" + "4" * 22
    assert svg_fits(["Song — Artist (Mix 1: pop)"] * MAX_SVG_POINTS, [link] * MAX_SVG_POINTS)
    assert not svg_fits(["x"] * (MAX_SVG_POINTS + 1), [None] * (MAX_SVG_POINTS + 1))
    assert not svg_fits(["x" * 10_000] * 2_000, [link] * 2_000)
    assert not svg_fits(["&" * 1_000] * 700, [None] * 700)  # escaped: 3.5 MB, not 0.7

    rows = synthetic_tracks(330, seed=5)
    for number, row in enumerate(rows):
        row["Track Name"] = f"{number} " + "long name " * 950
    result = build_playlist(exportify_csv(rows).encode(), PlaylistOptions("Mix", "mix"))
    assert "mix-clusters.png" in result.files and "mix-clusters.svg" not in result.files
    page = result.files["mix.md"].decode()
    assert "![Map of 330 tracks of Mix" in page and "image/svg+xml" not in str(result.unindexed)
    rows = rows[:60]  # short names: the SVG is back
    for number, row in enumerate(rows):
        row["Track Name"] = f"Song {number}"
    result = build_playlist(exportify_csv(rows).encode(), PlaylistOptions("Mix", "mix"))
    assert "mix-clusters.svg" in result.files
