// Package data holds Borderline's dataset (the embedded seed files) and the code
// that reads and validates it: sources, places, incidents and zones in CSV, shapes
// in GeoJSON. It knows nothing of SQLite or HTTP; the store package persists what
// this package has accepted.
package data

import "time"

// Source is one published report an incident traces back to.
type Source struct {
	ID               string `json:"id"`
	SeedFile         string `json:"seed_file,omitempty"`
	Outlet           string `json:"outlet"`
	OriginalReporter string `json:"original_reporter"`
	Author           string `json:"author,omitempty"`
	Headline         string `json:"headline"`
	Published        string `json:"published"`
	// PublishedInferred: the report prints no date (or not this one); Published
	// is the earliest likely day, and PublishedNote says why.
	PublishedInferred bool   `json:"published_inferred"`
	PublishedNote     string `json:"published_note,omitempty"`
	URL               string `json:"url"`
}

// Place is a geocoded location: a town, a facility, a province, a country or the
// border itself. Lon/Lat are nil when the place has no single point (nationwide,
// the whole border); GeometryRef then names the shape in layers/.
type Place struct {
	ID                string   `json:"id"`
	Kind              string   `json:"kind"`
	NameEN            string   `json:"name_en"`
	NameKO            string   `json:"name_ko"`
	NameZH            string   `json:"name_zh"`
	AltNames          []string `json:"alt_names"`
	Country           string   `json:"country"`
	Admin1            string   `json:"admin1"`
	Lon               *float64 `json:"lon"`
	Lat               *float64 `json:"lat"`
	GeometryRef       string   `json:"geometry_ref"`
	LocationPrecision string   `json:"location_precision"`
	CoordSource       string   `json:"coord_source"`
	Notes             string   `json:"notes"`
}

// HasPoint reports whether the place can be drawn as a marker.
func (p Place) HasPoint() bool { return p.Lon != nil && p.Lat != nil }

// Incident is one dated event or measure, always traced to at least one source.
type Incident struct {
	ID      string
	Title   string
	Summary string
	// TitleKO and SummaryKO say the same in Korean. The seed has both for
	// every incident; an import may leave them empty.
	TitleKO   string
	SummaryKO string
	// KoreanOmitted is set on an incident read from a file with no Korean
	// columns at all (one written before they existed): such a file says
	// nothing about the Korean text, so an import keeps the stored one
	// instead of erasing it. Never set on the seed or on stored incidents.
	KoreanOmitted     bool
	Category          string
	DateStart         time.Time
	DateEnd           time.Time // zero: the end of the DatePrecision period of DateStart
	DatePrecision     string
	DateInferred      bool
	DateNote          string
	PlaceIDs          []string
	LocationPrecision string
	LocationNote      string
	Verification      string
	VerificationNote  string
	SourceIDs         []string
	Contradictions    string
	ResearchRef       string
}

// InForce is the closed interval of days on which the map shows the incident.
// An empty end date means "for as long as the stated precision allows": a
// month-precise date covers its whole month.
func (in Incident) InForce() (from, to time.Time) {
	if !in.DateEnd.IsZero() {
		return in.DateStart, in.DateEnd
	}
	return in.DateStart, PeriodEnd(in.DateStart, in.DatePrecision)
}

// Zone is a restricted strip along the border; its polygon is computed by geo.
type Zone struct {
	ID        string
	Name      string
	WidthM    float64
	Side      string
	ValidFrom time.Time
	ValidTo   time.Time // zero: still in force as far as the sources know
	SourceIDs []string
	Note      string
}

// Code lists. Their order is the order the interface shows them in.
var (
	Categories = []Code{
		{"border_security", "Border security"},
		{"quarantine", "Quarantine and lockdown"},
		{"arrests", "Arrests and punishment"},
		{"health", "Deaths and health"},
		{"defection", "Defection and refugees"},
		{"policy", "Policy and official statements"},
		{"economy", "Economy and sanctions"},
	}
	Verifications = []Code{
		{"single_source", "One anonymous source, unverified"},
		{"corroborated", "Corroborated by other reporting"},
		{"official", "Official data or statement"},
		{"commentary", "Commentary or analysis"},
	}
	DatePrecisions = []Code{
		{"day", "Day"},
		{"week", "Week"},
		{"month", "Month"},
		{"season", "Season"},
		{"year", "Year"},
	}
	LocationPrecisions = []Code{
		{"exact", "The town or facility itself"},
		{"near", "Near or part of a region"},
		{"broad", "Whole province or larger"},
	}
	PlaceKinds = []Code{
		{"city", "City or town"},
		{"county", "County"},
		{"province", "Province"},
		{"facility", "Facility"},
		{"sea_area", "Sea area"},
		{"foreign_site", "Site abroad"},
		{"country", "Country"},
		{"border", "Border"},
	}
)

// Code is a machine value with the label people read.
type Code struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Label returns the label of value in codes, or value itself when unknown.
func Label(codes []Code, value string) string {
	for _, c := range codes {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}

// ValidCode reports whether value is one of codes.
func ValidCode(codes []Code, value string) bool {
	for _, c := range codes {
		if c.Value == value {
			return true
		}
	}
	return false
}

// CodeValues lists the values of codes, in order.
func CodeValues(codes []Code) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = c.Value
	}
	return out
}
