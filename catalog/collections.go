package catalog

import "github.com/borderline/borderline/data"

// The shape layers' titles and descriptions are the data package's, which
// also names the files they are read from.
func layer(id string) (title, description string) {
	for _, l := range data.Layers {
		if l.ID == id {
			return l.Title, l.Description
		}
	}
	panic("catalog: no layer " + id)
}

func text(name, label, description string) Property {
	return Property{Name: name, Label: label, Type: String, Description: description, Queryable: true}
}

// ident is the feature's id, which GeoJSON keeps beside its properties: it
// can be filtered and sorted on, but properties= does not choose it.
func ident(description string) Property {
	return Property{Name: "id", Label: "Id", Type: String, Description: description, Queryable: true, Sortable: true, Virtual: true}
}

func sorted(p Property) Property { p.Sortable = true; return p }

func codes(name, label, description string, list []data.Code) Property {
	return Property{Name: name, Label: label, Type: String, Description: description, Codes: list, Queryable: true, Sortable: true}
}

func shown(name, label string, t Type, description string) Property {
	return Property{Name: name, Label: label, Type: t, Description: description}
}

// labelOf is the member that carries a coded property's label.
func labelOf(coded, label, description string) Property {
	return Property{Name: coded + "_label", Label: label, Type: String, Description: description, LabelOf: coded}
}

var incidents = Collection{
	ID:    "incidents",
	Title: "Incidents",
	Description: "Dated incidents and measures along the North Korea–China border during the COVID-19 closure (2020–2021), " +
		"each traced to its source reports, with date and location precision and how well it is verified. " +
		"Title and summary in English, and in Korean.",
	Geometry: Points, SpatialFilter: true, Temporal: true,
	Params:  []string{"category", "verification", "source", "place", "q"},
	Formats: []string{"csv"},
	Properties: []Property{
		ident("The incident's id: its first day and a few words"),
		sorted(text("title", "Title", "A short title, in English")),
		text("summary", "Summary", "What happened, in a sentence or two of our own words, in English"),
		text("title_ko", "Title in Korean", "The title in Korean (empty where an imported incident has none)"),
		text("summary_ko", "Summary in Korean", "The summary in Korean (empty where an imported incident has none)"),
		codes("category", "Category", "What kind of incident it is", data.Categories),
		labelOf("category", "Category as shown", "The category as readers see it"),
		{Name: "date_start", Label: "First day", Type: Date, Description: "The first day the reports date it to", Queryable: true, Sortable: true},
		{Name: "date_end", Label: "Last day", Type: Date, Description: "The last day, where the reports give a period; null where they give one date", Queryable: true, Sortable: true, Nullable: true},
		codes("date_precision", "Date precision", "How precisely the reports date it: to the day, week, month, season or year", data.DatePrecisions),
		{Name: "date_inferred", Label: "Date inferred", Type: Boolean, Description: "True when the date is inferred from the report's publication rather than stated", Queryable: true},
		shown("date_note", "How it is dated", String, "How the date was established"),
		{Name: "in_force_from", Label: "On the map from", Type: Date, Description: "The first day the map shows it: the start of its date's precision period", Queryable: true, Sortable: true},
		{Name: "in_force_to", Label: "On the map until", Type: Date, Description: "The last day the map shows it: the end of its period, or of its date's precision period", Queryable: true, Sortable: true},
		{Name: "places", Label: "Places", Type: Objects, Description: "The places it happened at, with their names and kinds"},
		{Name: "place", Label: "Place", Type: Strings, Description: "The ids of its places (those of the places collection); place = 'hyesan' is true when one of them is Hyesan", Queryable: true, Virtual: true},
		{Name: "province", Label: "Province", Type: Strings, Description: "The provinces of its places, by English name (Ryanggang, North Hamgyong, …); a place that is a province counts as in it", Queryable: true, Virtual: true},
		codes("location_precision", "Location precision", "How precisely it is located: the town itself, near it, or only a province or more", data.LocationPrecisions),
		shown("location_note", "How it is located", String, "How the location was established"),
		shown("off_map", "Off the map", Boolean, "True when none of its places has a point on the map"),
		codes("verification", "Verification", "How well it is verified: one anonymous source, corroborated, official, or commentary", data.Verifications),
		labelOf("verification", "Verification as shown", "The verification as readers see it"),
		shown("verification_note", "Why verified so", String, "Why it is verified as it is"),
		{Name: "sources", Label: "Sources", Type: Objects, Description: "The source reports: outlet, reporter, headline, date and address"},
		{Name: "source", Label: "Source", Type: Strings, Description: "The ids of its source reports; source = 'rfa-2020-08-28' is true when it cites that report", Queryable: true, Virtual: true},
		{Name: "sources_count", Label: "Number of sources", Type: Integer, Description: "How many source reports it cites", Queryable: true, Sortable: true, Virtual: true},
		text("contradictions", "Where reports disagree", "Where the reports disagree (empty where they do not)"),
		text("research_ref", "Research note", "The reference of the research note behind it"),
	},
}

var placeProperties = []Property{
	ident("The place's id"),
	sorted(text("name_en", "Name", "Its name in English")),
	sorted(text("name_ko", "Name in Korean", "Its name in Korean")),
	sorted(text("name_zh", "Name in Chinese", "Its name in Chinese")),
	{Name: "alt_names", Label: "Other names", Type: Strings, Description: "Other spellings and names", Queryable: true},
	codes("kind", "Kind of place", "What kind of place it is", data.PlaceKinds),
	sorted(text("country", "Country", "Its country, as an ISO 3166-1 code (KP, CN, KR, RU)")),
	sorted(text("admin1", "Province", "Its province, by English name")),
	codes("location_precision", "Location precision", "How precisely its point places it", data.LocationPrecisions),
	shown("geometry_ref", "Outline", String, "The outline it has in another collection, where it has one"),
	{Name: "border_distance_km", Label: "Distance from the border (km)", Type: Number, Description: "Its distance from the border in kilometres (0 for a place on it)", Queryable: true, Sortable: true, Nullable: true},
	{Name: "border_side", Label: "Side of the border", Type: String, Description: "Which side of the border it is on (KP, CN)", Queryable: true, Sortable: true, Nullable: true},
	{Name: "border_length_km", Label: "Border along it (km)", Type: Number, Description: "For a province or country: the length of border along it, in kilometres", Queryable: true, Sortable: true, Nullable: true},
	shown("coord_source", "Where the point comes from", String, "Where its coordinates come from"),
	shown("notes", "Notes", String, "Notes on the place"),
}

var places = Collection{
	ID:    "places",
	Title: "Places",
	Description: "Towns, facilities, provinces and countries named in the reports, as points (the point incidents there are drawn at; " +
		"none for a whole country or the border), with Korean and Chinese names, alternate spellings, location precision, distance to the border " +
		"and, for areas, the length of border along them.",
	Geometry: Points, SpatialFilter: true,
	Params:     []string{"kind", "q"},
	Properties: placeProperties,
}

var areas = Collection{
	ID:          "areas",
	Title:       "Areas",
	Description: "The provinces and countries among the places, as polygons, under the same ids and with the same properties, and the place's point as their anchor.",
	Geometry:    Polygons,
	Params:      []string{"kind", "q", "simplify"},
	Properties: append(append([]Property{}, placeProperties[:len(placeProperties)-2]...),
		shown("anchor", "Point", Numbers, "The place's point, as longitude and latitude"),
		placeProperties[len(placeProperties)-2], placeProperties[len(placeProperties)-1]),
}

var zones = Collection{
	ID:    "zones",
	Title: "Border zones",
	Description: "The shoot-on-sight zone on the North Korean side of the border, as reported: 1 km (RFA) and 1–2 km (Human Rights Watch), " +
		"in force from 2020-08-26.",
	Geometry: Polygons, Temporal: true,
	Params: []string{"simplify"},
	Properties: []Property{
		ident("The zone's id"),
		sorted(text("name", "Name", "What the zone is, and who reported it")),
		{Name: "width_m", Label: "Width (m)", Type: Integer, Description: "How far from the border it reaches, in metres", Queryable: true, Sortable: true},
		sorted(text("side", "Side of the border", "The side of the border it is on")),
		{Name: "valid_from", Label: "In force from", Type: Date, Description: "The day it came into force", Queryable: true, Sortable: true},
		{Name: "valid_to", Label: "In force until", Type: Date, Description: "The day it ended; null while it is in force as far as the reports know", Queryable: true, Sortable: true, Nullable: true},
		{Name: "area_km2", Label: "Area (km²)", Type: Number, Description: "Its area in square kilometres, on the ellipsoid", Queryable: true, Sortable: true},
		{Name: "sources", Label: "Sources", Type: Objects, Description: "The source reports"},
		shown("note", "Note", String, "What the reports say of it"),
	},
}

func shapeLayer(id string, geometry Geometry, props ...Property) Collection {
	title, description := layer(id)
	return Collection{ID: id, Title: title, Description: description, Geometry: geometry,
		Params: []string{"simplify"}, Properties: append([]Property{ident("The feature's id")}, props...)}
}

// All the collections, in the order they are listed.
var All = []Collection{
	incidents, places, areas, zones,
	shapeLayer("border", Lines,
		sorted(text("part", "Part", "land, or the estuary line")),
		sorted(text("from", "From", "Where the line starts")),
		sorted(text("to", "To", "Where it ends")),
		Property{Name: "length_km", Label: "Length (km)", Type: Number, Description: "Its length in kilometres, on the ellipsoid", Queryable: true, Sortable: true},
		Property{Name: "vertices", Label: "Points drawn", Type: Integer, Description: "How many points draw it", Queryable: true, Sortable: true},
		shown("source", "Source", String, "Where the line comes from, and its licence"),
		shown("note", "Note", String, "How the line was drawn")),
	shapeLayer("provinces", Polygons,
		sorted(text("name_en", "Name", "The province's name in English")),
		sorted(text("name_ne", "Name in Natural Earth", "Its name as Natural Earth spells it")),
		sorted(text("iso_3166_2", "ISO 3166-2 code", "Its ISO 3166-2 code")),
		sorted(text("hasc", "HASC code", "Its hierarchical administrative subdivision code")),
		shown("source", "Source", String, "Where the outline comes from, and its licence")),
	shapeLayer("rivers", Lines,
		sorted(text("name", "Name", "The river's name")),
		Property{Name: "km", Label: "Length (km)", Type: Number, Description: "Its length in kilometres", Queryable: true, Sortable: true},
		Property{Name: "parts", Label: "Lines", Type: Integer, Description: "How many lines draw it", Queryable: true, Sortable: true},
		shown("featurecla", "Kind of feature", String, "Natural Earth's class of feature"),
		shown("scalerank", "Scale rank", Integer, "Natural Earth's scale rank"),
		Property{Name: "vertices", Label: "Points drawn", Type: Integer, Description: "How many points draw it", Queryable: true, Sortable: true},
		shown("source", "Source", String, "Where the line comes from, and its licence")),
	shapeLayer("countries", Polygons,
		sorted(text("name", "Name", "The country's name")),
		sorted(text("iso_n3", "ISO numeric code", "Its ISO 3166-1 numeric code")),
		shown("source", "Source", String, "Where the outline comes from, and its licence")),
}
