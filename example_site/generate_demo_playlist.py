"""Generate the synthetic "Demo Mixtape" playlist used by the example site.

Everything this script writes is invented: the track titles, artists, albums, record
labels and genres are made up, and the audio features are random draws. No row refers
to a real recording, so every ``Track URI`` is left empty.

Tracks are drawn from six musical archetypes (club/dance, acoustic ballad, rap,
ambient/instrumental, rock and jazz/soul). Each archetype has its own distribution for
every Spotify audio feature; the distributions overlap on purpose, so the data looks
like a real playlist rather than six perfect blobs. The archetype of a track is *not*
written to the CSV: the point of the demo is to see whether clustering recovers it.

The output mimics an Exportify export (UTF-8, LF line endings, current header, several
artists joined with ``;``). The random generator is seeded, so running the script twice
gives byte-identical output::

    python example_site/generate_demo_playlist.py
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

SEED = 20240611
OUTPUT = Path(__file__).resolve().parent / "data" / "demo-mixtape.csv"

HEADER = [
    "Track URI",
    "Track Name",
    "Album Name",
    "Artist Name(s)",
    "Release Date",
    "Duration (ms)",
    "Popularity",
    "Explicit",
    "Added By",
    "Added At",
    "Genres",
    "Record Label",
    "Danceability",
    "Energy",
    "Key",
    "Loudness",
    "Mode",
    "Speechiness",
    "Acousticness",
    "Instrumentalness",
    "Liveness",
    "Valence",
    "Tempo",
    "Time Signature",
]

# Features bounded to [0, 1], with the number of decimals they are written with.
# Liveness is lifted by LIVENESS_FLOOR: Spotify rarely reports less than about 0.02.
UNIT_FEATURES = {
    "Danceability": 3,
    "Energy": 3,
    "Speechiness": 4,
    "Acousticness": 4,
    "Instrumentalness": 4,
    "Liveness": 3,
    "Valence": 3,
}

# A few titles that exercise escaping (Markdown tables, HTML) and non-ASCII text.
SPECIAL_TITLES = {
    "ballad": ["Salt & Ember"],
    "rock": ["Left | Right"],
    "jazz": ["Café Lumière"],
}

# fmt: off
TITLE_ADJECTIVES = [
    "Neon", "Velvet", "Paper", "Hollow", "Silver", "Quiet", "Electric", "Amber", "Broken",
    "Golden", "Midnight", "Northern", "Crimson", "Slow", "Glass", "Restless", "Faded",
    "Wild", "Lucid", "Static", "Copper", "Distant", "Tender", "Hazy", "Satellite", "Salt",
]
TITLE_NOUNS = [
    "Harbour", "Static", "Lanterns", "Avenue", "Orchard", "Signal", "Tide", "Engine",
    "Garden", "Mirror", "Horizon", "Pulse", "Letters", "Weather", "Stairwell", "Comet",
    "Receiver", "Meridian", "Fever", "Balcony", "Echo", "Current", "Skyline", "Hours",
    "Postcard", "Carousel", "Rooftops", "Telegram", "Undertow", "Ember",
]
# fmt: on
TITLE_PATTERNS = ["{adj} {noun}", "{adj} {noun}", "The {noun}", "{noun} of {noun2}", "{adj}"]

LIVENESS_FLOOR = 0.02
TEMPO_BOUNDS = (58.0, 200.0)  # bpm
LOUDNESS_BOUNDS = (-30.0, -2.0)  # dB
DURATION_BOUNDS = (90_000.0, 900_000.0)  # ms

P_FULL_RELEASE_DATE = 0.8  # the others only give the year, as Spotify does for some albums
P_FEATURED_ARTIST = 0.12
P_TITLE_MIX = 0.5  # one-word titles become "<Word> (<Noun> Mix)" or "<Word> Again"
ADDED_START = datetime(2022, 3, 7, 18, 4, 11, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Artist:
    """An invented artist with a genre string, a record label and albums."""

    name: str
    genres: str
    label: str
    albums: tuple[str, ...]


@dataclass(frozen=True)
class Archetype:
    """Distributions of the audio features of one kind of track.

    ``unit`` maps each [0, 1] feature to (mean, concentration) of a beta distribution;
    a lower concentration gives a wider spread. ``tempo``, ``loudness`` and
    ``duration_ms`` are (mean, sd) of truncated normals; ``p_*`` are probabilities.
    """

    key: str
    size: int
    unit: dict[str, tuple[float, float]]
    tempo: tuple[float, float]
    loudness: tuple[float, float]
    duration_ms: tuple[float, float]
    p_major: float
    p_explicit: float
    time_signatures: dict[int, float]
    artists: tuple[Artist, ...]


ARCHETYPES: tuple[Archetype, ...] = (
    Archetype(
        key="club",
        size=80,
        unit={
            "Danceability": (0.76, 14),
            "Energy": (0.78, 12),
            "Speechiness": (0.07, 20),
            "Acousticness": (0.06, 8),
            "Instrumentalness": (0.35, 2.5),
            "Liveness": (0.15, 10),
            "Valence": (0.55, 6),
        },
        tempo=(124.0, 3.5),
        loudness=(-6.0, 1.6),
        duration_ms=(335_000, 60_000),
        p_major=0.45,
        p_explicit=0.1,
        time_signatures={4: 1.0},
        artists=(
            Artist(
                "DJ Marlowe Vance",
                "house,deep house",
                "Lowtide Records",
                ("Warehouse Weather", "Afterhours Atlas"),
            ),
            Artist("Kinetic Orchard", "house,tech house", "Lowtide Records", ("Pulse Garden",)),
            Artist(
                "Lumi Okafor",
                "dance pop,electropop",
                "Brightline Music",
                ("Glass Ceiling Disco", "Satellite Hearts", "Mirrorball Theory"),
            ),
            Artist(
                "Neon Cartographers",
                "nu disco,indie dance",
                "Fernwood Sound",
                ("Maps for Dancers", "Citylight Index"),
            ),
            Artist("Amélie Sørensen", "deep house,melodic house", "Brightline Music", ("Nordlys",)),
        ),
    ),
    Archetype(
        key="ballad",
        size=60,
        unit={
            "Danceability": (0.46, 12),
            "Energy": (0.28, 9),
            "Speechiness": (0.04, 30),
            "Acousticness": (0.78, 7),
            "Instrumentalness": (0.03, 25),
            "Liveness": (0.13, 10),
            "Valence": (0.32, 7),
        },
        tempo=(78.0, 12.0),
        loudness=(-10.5, 2.6),
        duration_ms=(225_000, 35_000),
        p_major=0.7,
        p_explicit=0.03,
        time_signatures={4: 0.8, 3: 0.2},
        artists=(
            Artist(
                "The Paper Lanterns",
                "acoustic pop,singer-songwriter",
                "Hearthside Records",
                ("Small Hours", "Letters Unsent"),
            ),
            Artist(
                "Maren Holloway",
                "singer-songwriter,folk pop",
                "Hearthside Records",
                ("Kitchen Light", "Winter Postcards", "The Long Way Round"),
            ),
            Artist(
                "夜明けの灯台", "j-acoustic,japanese singer-songwriter", "Kasumi Sound", ("潮騒",)
            ),
            Artist("Elliot Brandt", "acoustic pop,chamber pop", "Fernwood Sound", ("Paper Boats",)),
        ),
    ),
    Archetype(
        key="rap",
        size=55,
        unit={
            "Danceability": (0.74, 14),
            "Energy": (0.63, 10),
            "Speechiness": (0.29, 9),
            "Acousticness": (0.14, 5),
            "Instrumentalness": (0.01, 40),
            "Liveness": (0.19, 7),
            "Valence": (0.48, 6),
        },
        tempo=(92.0, 14.0),
        loudness=(-6.6, 1.8),
        duration_ms=(192_000, 30_000),
        p_major=0.5,
        p_explicit=0.85,
        time_signatures={4: 0.97, 5: 0.03},
        artists=(
            Artist(
                "Kid Parallax",
                "hip hop,trap",
                "Concrete Choir",
                ("Blueprint Summer", "Overpass Psalms"),
            ),
            Artist(
                "MC Juniper Rae", "hip hop,conscious hip hop", "Concrete Choir", ("Library Card",)
            ),
            Artist(
                "달빛 우체국",
                "korean hip hop,k-rap",
                "Hanbit Audio",
                ("새벽 세 시", "Moonlit Mailroom"),
            ),
            Artist(
                "Triple Decker",
                "trap,southern hip hop",
                "Brightline Music",
                ("Front Porch Frequencies", "Heatwave Ledger"),
            ),
        ),
    ),
    Archetype(
        key="ambient",
        size=35,
        unit={
            "Danceability": (0.24, 9),
            "Energy": (0.14, 8),
            "Speechiness": (0.04, 30),
            "Acousticness": (0.72, 4),
            "Instrumentalness": (0.82, 6),
            "Liveness": (0.11, 12),
            "Valence": (0.13, 7),
        },
        tempo=(95.0, 24.0),
        loudness=(-21.0, 4.0),
        duration_ms=(410_000, 110_000),
        p_major=0.55,
        p_explicit=0.0,
        time_signatures={4: 0.75, 3: 0.2, 5: 0.05},
        artists=(
            Artist(
                "Velvet Static",
                "ambient,drone",
                "Slow Meridian",
                ("Weather for Empty Rooms", "Undertow Studies"),
            ),
            Artist(
                "Isolde Vantongeren", "ambient,modern classical", "Slow Meridian", ("Glasshouse",)
            ),
            Artist(
                "Złota Godzina",
                "ambient,field recordings",
                "Mgła Records",
                ("Złota Godzina", "Pod Wodą"),
            ),
        ),
    ),
    Archetype(
        key="rock",
        size=45,
        unit={
            "Danceability": (0.4, 14),
            "Energy": (0.85, 14),
            "Speechiness": (0.06, 20),
            "Acousticness": (0.05, 6),
            "Instrumentalness": (0.07, 8),
            "Liveness": (0.32, 5),
            "Valence": (0.5, 6),
        },
        tempo=(139.0, 11.0),
        loudness=(-5.2, 1.6),
        duration_ms=(212_000, 40_000),
        p_major=0.65,
        p_explicit=0.2,
        time_signatures={4: 0.92, 3: 0.05, 5: 0.03},
        artists=(
            Artist(
                "The Hollow Engines",
                "indie rock,garage rock",
                "Rust Belt Tapes",
                ("Stairwell Anthems", "Copper Wire"),
            ),
            Artist(
                "Cassidy & the Undertow",
                "indie rock,post-punk",
                "Rust Belt Tapes",
                ("Low Tide Riot",),
            ),
            Artist(
                "Feedback Orchard",
                "garage rock,punk blues",
                "Fernwood Sound",
                ("Amplifier Season", "Loud Letters", "Basement Tapes Vol. 2"),
            ),
            Artist(
                "Søren Quill",
                "alternative rock,indie rock",
                "Brightline Music",
                ("Northern Noise",),
            ),
        ),
    ),
    Archetype(
        key="jazz",
        size=25,
        unit={
            "Danceability": (0.57, 10),
            "Energy": (0.43, 8),
            "Speechiness": (0.06, 15),
            "Acousticness": (0.55, 5),
            "Instrumentalness": (0.3, 3),
            "Liveness": (0.25, 5),
            "Valence": (0.6, 7),
        },
        tempo=(108.0, 22.0),
        loudness=(-10.0, 2.6),
        duration_ms=(285_000, 70_000),
        p_major=0.6,
        p_explicit=0.02,
        time_signatures={4: 0.75, 3: 0.2, 5: 0.05},
        artists=(
            Artist(
                "Odessa Grey Quartet",
                "jazz,soul jazz",
                "Blue Lantern",
                ("Smoke & Mirrors", "Late Set"),
            ),
            Artist("Rosalind Achebe", "soul,neo soul", "Blue Lantern", ("Honey Hours",)),
            Artist("José Ibarra Trio", "jazz,latin jazz", "Calle Luna Discos", ("Malecón Nights",)),
        ),
    ),
)


def beta_draw(rng: np.random.Generator, mean: float, concentration: float, n: int) -> np.ndarray:
    """Draw ``n`` values in [0, 1] from a beta distribution with the given mean."""
    return rng.beta(mean * concentration, (1.0 - mean) * concentration, size=n)


def truncated_normal(
    rng: np.random.Generator, mean: float, sd: float, n: int, bounds: tuple[float, float]
) -> np.ndarray:
    """Draw ``n`` normal values inside ``bounds``, redrawing any that fall outside.

    Redrawing (rather than clipping) avoids piles of identical values at the bounds.
    """
    low, high = bounds
    values = rng.normal(mean, sd, size=n)
    outside = (values < low) | (values > high)
    while outside.any():
        values[outside] = rng.normal(mean, sd, size=int(outside.sum()))
        outside = (values < low) | (values > high)
    return values


def draw_features(rng: np.random.Generator, arch: Archetype) -> list[dict[str, object]]:
    """Draw the audio features of every track of one archetype."""
    n = arch.size
    columns: dict[str, list[object]] = {}
    for name, digits in UNIT_FEATURES.items():
        mean, concentration = arch.unit[name]
        values = beta_draw(rng, mean, concentration, n)
        if name == "Liveness":
            values = LIVENESS_FLOOR + (1.0 - LIVENESS_FLOOR) * values
        columns[name] = [round(float(v), digits) for v in values]
    tempo = truncated_normal(rng, *arch.tempo, n, TEMPO_BOUNDS)
    loudness = truncated_normal(rng, *arch.loudness, n, LOUDNESS_BOUNDS)
    duration = truncated_normal(rng, *arch.duration_ms, n, DURATION_BOUNDS)
    signatures = list(arch.time_signatures)
    weights = np.array(list(arch.time_signatures.values()))
    columns["Tempo"] = [round(float(v), 3) for v in tempo]
    columns["Loudness"] = [round(float(v), 3) for v in loudness]
    columns["Duration (ms)"] = [int(v) for v in duration]
    columns["Key"] = [int(v) for v in rng.integers(0, 12, size=n)]
    columns["Mode"] = [int(v) for v in rng.random(n) < arch.p_major]
    columns["Explicit"] = ["true" if v else "false" for v in rng.random(n) < arch.p_explicit]
    columns["Time Signature"] = [
        int(v) for v in rng.choice(signatures, size=n, p=weights / weights.sum())
    ]
    return [{name: values[i] for name, values in columns.items()} for i in range(n)]


def make_title(rng: np.random.Generator, used: set[str]) -> str:
    """Invent a track title from the word lists that has not been used yet."""
    while True:
        pattern = TITLE_PATTERNS[int(rng.integers(len(TITLE_PATTERNS)))]
        adj = TITLE_ADJECTIVES[int(rng.integers(len(TITLE_ADJECTIVES)))]
        noun, noun2 = (TITLE_NOUNS[int(i)] for i in rng.choice(len(TITLE_NOUNS), 2, False))
        title = pattern.format(adj=adj, noun=noun, noun2=noun2)
        if pattern == "{adj}":
            title = f"{adj} ({noun} Mix)" if rng.random() < P_TITLE_MIX else f"{adj} Again"
        if title not in used:
            used.add(title)
            return title


def album_release_dates(rng: np.random.Generator) -> dict[str, str]:
    """Give every album one release date, either ``YYYY-MM-DD`` or just ``YYYY``."""
    dates: dict[str, str] = {}
    for arch in ARCHETYPES:
        for artist in arch.artists:
            for album in artist.albums:
                day = datetime(1996, 1, 1) + timedelta(days=int(rng.integers(0, 28 * 365)))
                full = rng.random() < P_FULL_RELEASE_DATE
                dates[album] = day.strftime("%Y-%m-%d") if full else day.strftime("%Y")
    return dates


def artist_credit(rng: np.random.Generator, arch: Archetype, main: Artist) -> str:
    """Credit the main artist and, now and then, a featured artist of the same kind."""
    others = [a for a in arch.artists if a is not main]
    if others and rng.random() < P_FEATURED_ARTIST:
        guest = others[int(rng.integers(len(others)))]
        return f"{main.name};{guest.name}"
    return main.name


def catalogue_rows(
    rng: np.random.Generator, arch: Archetype, dates: dict[str, str], used: set[str]
) -> list[dict[str, object]]:
    """Build the playlist rows (metadata and features) of one archetype."""
    special = list(SPECIAL_TITLES.get(arch.key, []))
    artist_weights = rng.dirichlet(np.full(len(arch.artists), 3.0))
    base_popularity = rng.integers(12, 72, size=len(arch.artists))
    rows = []
    for features in draw_features(rng, arch):
        index = int(rng.choice(len(arch.artists), p=artist_weights))
        artist = arch.artists[index]
        album = artist.albums[int(rng.integers(len(artist.albums)))]
        title = special.pop() if special else make_title(rng, used)
        popularity = int(np.clip(round(rng.normal(base_popularity[index], 9)), 0, 100))
        row: dict[str, object] = {
            "Track URI": "",
            "Track Name": title,
            "Album Name": album,
            "Artist Name(s)": artist_credit(rng, arch, artist),
            "Release Date": dates[album],
            "Popularity": popularity,
            "Added By": "",
            "Genres": artist.genres,
            "Record Label": artist.label,
        }
        row.update(features)
        rows.append(row)
    return rows


def added_at_stamps(rng: np.random.Generator, n: int) -> list[str]:
    """Increasing ISO 8601 timestamps, as if the tracks were added over many months."""
    gaps = rng.exponential(scale=1.6 * 86_400, size=n)
    moments = np.cumsum(gaps)
    stamps = [ADDED_START + timedelta(seconds=int(s)) for s in moments]
    return [s.strftime("%Y-%m-%dT%H:%M:%SZ") for s in stamps]


def build_playlist(seed: int = SEED) -> list[dict[str, object]]:
    """Draw every archetype, shuffle the tracks and stamp the ``Added At`` column."""
    rng = np.random.default_rng(seed)
    dates = album_release_dates(rng)
    used: set[str] = {t for titles in SPECIAL_TITLES.values() for t in titles}
    rows: list[dict[str, object]] = []
    for arch in ARCHETYPES:
        rows.extend(catalogue_rows(rng, arch, dates, used))
    order = rng.permutation(len(rows))
    shuffled = [rows[int(i)] for i in order]
    for row, stamp in zip(shuffled, added_at_stamps(rng, len(shuffled)), strict=True):
        row["Added At"] = stamp
    return shuffled


def write_csv(rows: list[dict[str, object]], path: Path) -> None:
    """Write the rows as an Exportify-style CSV (UTF-8, no BOM, LF line endings)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    """Generate the demo playlist next to this script."""
    rows = build_playlist()
    write_csv(rows, OUTPUT)
    print(f"wrote {len(rows)} tracks to {OUTPUT}")


if __name__ == "__main__":
    main()
