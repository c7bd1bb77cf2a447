package store

// migrations are applied in order; PRAGMA user_version records how many ran.
// Never edit a migration that has shipped: append a new one.
var migrations = []string{
	// 1: the first schema.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- origin is 'seed' for rows from the embedded dataset and 'import' for rows a
-- user imported (or changed by importing); a newer seed never overwrites the latter.
CREATE TABLE source (
	id                TEXT PRIMARY KEY,
	seed_file         TEXT NOT NULL DEFAULT '',
	outlet            TEXT NOT NULL,
	original_reporter TEXT NOT NULL DEFAULT '',
	author            TEXT NOT NULL DEFAULT '',
	headline          TEXT NOT NULL,
	published         TEXT NOT NULL,
	published_note    TEXT NOT NULL DEFAULT '',
	url               TEXT NOT NULL DEFAULT '',
	origin            TEXT NOT NULL CHECK (origin IN ('seed', 'import'))
) STRICT;

CREATE TABLE place (
	id                 TEXT PRIMARY KEY,
	kind               TEXT NOT NULL,
	name_en            TEXT NOT NULL,
	name_ko            TEXT NOT NULL DEFAULT '',
	name_zh            TEXT NOT NULL DEFAULT '',
	alt_names          TEXT NOT NULL DEFAULT '[]', -- JSON array
	country            TEXT NOT NULL DEFAULT '',
	admin1             TEXT NOT NULL DEFAULT '',
	lon                REAL,
	lat                REAL,
	geometry_ref       TEXT NOT NULL DEFAULT '',
	location_precision TEXT NOT NULL,
	coord_source       TEXT NOT NULL DEFAULT '',
	notes              TEXT NOT NULL DEFAULT '',
	border_distance_km REAL,
	border_side        TEXT,
	origin             TEXT NOT NULL CHECK (origin IN ('seed', 'import')),
	CHECK ((lon IS NULL) = (lat IS NULL))
) STRICT;

CREATE TABLE incident (
	rowid              INTEGER PRIMARY KEY,
	id                 TEXT NOT NULL UNIQUE,
	title              TEXT NOT NULL,
	summary            TEXT NOT NULL,
	category           TEXT NOT NULL,
	date_start         TEXT NOT NULL,
	date_end           TEXT NOT NULL DEFAULT '',
	date_precision     TEXT NOT NULL,
	date_inferred      INTEGER NOT NULL CHECK (date_inferred IN (0, 1)),
	date_note          TEXT NOT NULL DEFAULT '',
	location_precision TEXT NOT NULL,
	location_note      TEXT NOT NULL DEFAULT '',
	verification       TEXT NOT NULL,
	verification_note  TEXT NOT NULL DEFAULT '',
	contradictions     TEXT NOT NULL DEFAULT '',
	research_ref       TEXT NOT NULL DEFAULT '',
	day_from           INTEGER NOT NULL, -- days since 1970-01-01, inclusive
	day_to             INTEGER NOT NULL CHECK (day_to >= day_from),
	origin             TEXT NOT NULL CHECK (origin IN ('seed', 'import')),
	updated_at         TEXT NOT NULL,
	-- the GeoJSON Feature as served, built on write so that reads only copy bytes
	feature            TEXT NOT NULL
) STRICT;
-- The order of every list: by first day in force, then as inserted.
CREATE INDEX incident_order ON incident (day_from);
CREATE INDEX incident_category ON incident (category, day_from);

CREATE TABLE incident_place (
	incident INTEGER NOT NULL REFERENCES incident (rowid) ON DELETE CASCADE,
	ord      INTEGER NOT NULL,
	place_id TEXT NOT NULL REFERENCES place (id),
	PRIMARY KEY (incident, ord)
) STRICT;
CREATE INDEX incident_place_place ON incident_place (place_id);

CREATE TABLE incident_source (
	incident  INTEGER NOT NULL REFERENCES incident (rowid) ON DELETE CASCADE,
	ord       INTEGER NOT NULL,
	source_id TEXT NOT NULL REFERENCES source (id),
	PRIMARY KEY (incident, ord)
) STRICT;
CREATE INDEX incident_source_source ON incident_source (source_id);

-- The points an incident is drawn at, for exact bbox tests after the R*Tree's
-- float32 candidate search.
CREATE TABLE incident_point (
	incident INTEGER NOT NULL REFERENCES incident (rowid) ON DELETE CASCADE,
	lon      REAL NOT NULL,
	lat      REAL NOT NULL
) STRICT;
CREATE INDEX incident_point_incident ON incident_point (incident);

-- Space and time in one index: a bbox + datetime query is one R*Tree search
-- that reads no incident row until the page is known.
-- Incidents without a point get a box far outside any valid bbox (lon/lat
-- 1000), so time-only searches still find them and bbox searches never do.
-- Days are small integers, exact in the R*Tree's float32. Float32 rounds
-- boxes outward by up to a metre, so the auxiliary columns keep the exact
-- envelope for the rare candidate that straddles the edge of a bbox; multi is
-- 1 when the incident has several points (then incident_point decides).
-- Category is auxiliary too: as a fourth dimension it wrecked the tree's
-- clustering by day (time-only searches went from 0.7 to 4.5 ms at 100,000).
CREATE VIRTUAL TABLE incident_rtree USING rtree (
	id, min_lon, max_lon, min_lat, max_lat, day_from, day_to,
	+lon0, +lon1, +lat0, +lat1, +multi, +category
);

CREATE VIRTUAL TABLE incident_fts USING fts5 (
	title, summary, places, sources,
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE zone (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	width_m    REAL NOT NULL,
	side       TEXT NOT NULL,
	valid_from TEXT NOT NULL,
	valid_to   TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT '',
	area_km2   REAL NOT NULL,
	geometry   TEXT NOT NULL -- GeoJSON
) STRICT;

CREATE TABLE zone_source (
	zone_id   TEXT NOT NULL REFERENCES zone (id) ON DELETE CASCADE,
	ord       INTEGER NOT NULL,
	source_id TEXT NOT NULL REFERENCES source (id),
	PRIMARY KEY (zone_id, ord)
) STRICT;

-- Served features of the small collections (places, zones, base-map layers),
-- rebuilt whenever their rows change. Envelopes allow bbox filtering in SQL.
CREATE TABLE feature (
	collection TEXT NOT NULL,
	id         TEXT NOT NULL,
	ord        INTEGER NOT NULL,
	min_lon    REAL,
	max_lon    REAL,
	min_lat    REAL,
	max_lat    REAL,
	day_from   INTEGER,
	day_to     INTEGER,
	json       TEXT NOT NULL,
	PRIMARY KEY (collection, id)
) STRICT;
CREATE INDEX feature_order ON feature (collection, ord);
`,
	// 2: extents kept on write.
	`
-- The extent of each collection, kept by every write: computing it on read
-- scanned every incident point (213 ms per /collections at 100,000 incidents).
CREATE TABLE extent (
	collection TEXT PRIMARY KEY,
	min_lon    REAL,
	max_lon    REAL,
	min_lat    REAL,
	max_lat    REAL,
	day_from   INTEGER,
	day_to     INTEGER -- NULL when some feature is open-ended
) STRICT;
` + refreshExtentsSQL,
	// 3: whether a source's publication date is inferred rather than printed.
	`
ALTER TABLE source ADD COLUMN published_inferred INTEGER NOT NULL DEFAULT 0 CHECK (published_inferred IN (0, 1));
`,
	// 4: stories for the classroom presentation mode.
	`
-- The curated stories of the seed. The built-in story of every incident is
-- not stored: it is read from incident when asked, so imports are in it.
CREATE TABLE story (
	id          TEXT PRIMARY KEY,
	ord         INTEGER NOT NULL, -- stories are listed in the seed file's order
	title       TEXT NOT NULL,
	description TEXT NOT NULL
) STRICT;

-- A step names its incident by id, as the seed file does. The reference is
-- checked statement by statement, so a seed writes its new stories before it
-- removes incidents that only the old stories pointed at.
CREATE TABLE story_step (
	story_id    TEXT NOT NULL REFERENCES story (id) ON DELETE CASCADE,
	step        INTEGER NOT NULL CHECK (step >= 1),
	incident_id TEXT NOT NULL REFERENCES incident (id),
	title       TEXT NOT NULL,
	intro       TEXT NOT NULL,
	PRIMARY KEY (story_id, step)
) STRICT;
-- Removing an incident looks here for steps that still need it.
CREATE INDEX story_step_incident ON story_step (incident_id);
`,
	// 5: the Korean title and summary of incidents, stored and searched.
	`
ALTER TABLE incident ADD COLUMN title_ko TEXT NOT NULL DEFAULT '';
ALTER TABLE incident ADD COLUMN summary_ko TEXT NOT NULL DEFAULT '';

-- The search reads the Korean text too. An FTS5 table cannot gain columns,
-- so it is made anew, empty: the seed that follows a schema change
-- re-derives every incident's search text, imported ones included.
-- unicode61 counts Hangul syllables as letters, so a Korean word (어절) is
-- one token, its particles attached: 혜산에서 is a token that the prefix
-- query 혜산* finds, and 인민병원 is no word of 량강도인민병원.
DROP TABLE incident_fts;
CREATE VIRTUAL TABLE incident_fts USING fts5 (
	title, summary, title_ko, summary_ko, places, sources,
	tokenize = 'unicode61 remove_diacritics 2'
);
`,
	// 6: the Korean text of the stories. Only the seed writes stories, and
	// the seed that brings these columns fills them.
	`
ALTER TABLE story ADD COLUMN title_ko TEXT NOT NULL DEFAULT '';
ALTER TABLE story ADD COLUMN description_ko TEXT NOT NULL DEFAULT '';
ALTER TABLE story_step ADD COLUMN title_ko TEXT NOT NULL DEFAULT '';
ALTER TABLE story_step ADD COLUMN intro_ko TEXT NOT NULL DEFAULT '';
`,
	// 7: what the verification, source and place filters and the daily
	// counts read.
	`
-- The R*Tree carries verification and date precision next to the category.
-- A candidate's auxiliary columns come in one read (about 3 us each at
-- 100,000 incidents, as much as looking up its incident row), so a bbox
-- search filtered by verification, or counted by category and precision,
-- reads one thing per candidate, not two. Auxiliary columns cannot be added
-- to an R*Tree: it is built anew from the old one and the incidents.
CREATE VIRTUAL TABLE incident_rtree_v7 USING rtree (
	id, min_lon, max_lon, min_lat, max_lat, day_from, day_to,
	+lon0, +lon1, +lat0, +lat1, +multi, +category, +verification, +date_precision
);
INSERT INTO incident_rtree_v7 (id, min_lon, max_lon, min_lat, max_lat, day_from, day_to,
	lon0, lon1, lat0, lat1, multi, category, verification, date_precision)
SELECT r.id, r.min_lon, r.max_lon, r.min_lat, r.max_lat, r.day_from, r.day_to,
	r.lon0, r.lon1, r.lat0, r.lat1, r.multi, r.category, i.verification, i.date_precision
FROM incident_rtree r JOIN incident i ON i.rowid = r.id;
DROP TABLE incident_rtree;
ALTER TABLE incident_rtree_v7 RENAME TO incident_rtree;

-- Counting every incident in force over a period without a bbox scans this
-- index and nothing else: 100,000 intervals in 25 ms, against 300 ms through
-- the R*Tree and its auxiliary columns. The counts group by the first four
-- columns, in this order, so the grouping needs no sort. (Pages of items stay
-- on the R*Tree: for one day it reads a few hundred candidates where this
-- index would scan every incident that started before it.)
CREATE INDEX incident_span ON incident (day_from, day_to, category, date_precision, verification);

-- The source and place filters read the incidents linked to some ids from the
-- index alone; the single-column indexes these replace made them look up
-- each link row (51 ms for a month's incidents of one source, now 21 ms).
CREATE INDEX incident_source_cover ON incident_source (source_id, incident);
DROP INDEX incident_source_source;
CREATE INDEX incident_place_cover ON incident_place (place_id, incident);
DROP INDEX incident_place_place;
`,
	// 8: incident search finds other forms of a word: a porter index
	// beside the first.
	`
-- A reader who types "phones" means "phone" too, and "arrests" "arrested".
-- The porter tokenizer indexes English words by their stems (phones, phone,
-- phoned -> phone; arrests, arrested, arresting -> arrest; Korean and Chinese
-- words pass through unchanged). It cannot replace incident_fts: FTS5 stems
-- the word of a prefix query before matching the prefix, so "died"* becomes
-- di* and finds "dismissed" and "disbanded" (8 of the 52 incidents, 6 of them
-- wrong), "camps"* finds "campaign". So a word matches when it starts a word
-- of incident_fts, as before, or has the same stem as a word here.
-- Contentless: the text is in incident_fts; this holds only the index.
CREATE VIRTUAL TABLE incident_fts_porter USING fts5 (
	title, summary, places, sources,
	content = '', contentless_delete = 1,
	tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO incident_fts_porter (rowid, title, summary, places, sources)
SELECT rowid, title, summary, places, sources FROM incident_fts;
`,
}

// refreshExtentsSQL recomputes the extent table; it ends every write.
const refreshExtentsSQL = `
DELETE FROM extent;
INSERT INTO extent
SELECT 'incidents', (SELECT min(lon) FROM incident_point), (SELECT max(lon) FROM incident_point),
	(SELECT min(lat) FROM incident_point), (SELECT max(lat) FROM incident_point),
	(SELECT min(day_from) FROM incident), (SELECT max(day_to) FROM incident);
INSERT INTO extent
SELECT collection, min(min_lon), max(max_lon), min(min_lat), max(max_lat), min(day_from),
	CASE WHEN count(day_to) < count(*) THEN NULL ELSE max(day_to) END
FROM feature GROUP BY collection;
`
