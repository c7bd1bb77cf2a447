package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// ReadIncidentsGeoJSON reads a FeatureCollection of incidents, in the shape the
// export and the API write (so an export can be imported back), or with the CSV
// column names as properties. The geometry is not read: an incident's location
// is always that of its places, so it cannot drift from the gazetteer.
func ReadIncidentsGeoJSON(r io.Reader, name string, refs Refs) ([]Incident, error) {
	verr := &ValidationError{File: name}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type       string                     `json:"type"`
			ID         json.RawMessage            `json:"id"`
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"features"`
	}
	dec := json.NewDecoder(r)
	if err := dec.Decode(&fc); err != nil {
		verr.add(FieldError{Message: "not valid GeoJSON: " + err.Error()})
		return nil, verr
	}
	if fc.Type != "FeatureCollection" {
		verr.add(FieldError{Field: "type", Message: fmt.Sprintf("is %q; expected a FeatureCollection", fc.Type)})
		return nil, verr
	}
	if len(fc.Features) == 0 {
		verr.add(FieldError{Field: "features", Message: "the collection has no features"})
		return nil, verr
	}
	seen := map[string]int{}
	var out []Incident
	for i, ft := range fc.Features {
		c := fieldChecker{verr: verr, feature: i + 1}
		fields := map[string]string{}
		for _, col := range IncidentColumns {
			raw, ok := ft.Properties[col]
			if !ok {
				continue
			}
			s, err := jsonScalar(raw)
			if err != nil {
				c.fail(col, "%v", err)
				continue
			}
			fields[col] = s
		}
		if fields["id"] == "" && len(ft.ID) > 0 {
			fields["id"], _ = jsonScalar(ft.ID)
		}
		// The export writes places and sources as objects with their details.
		if fields["place_ids"] == "" {
			fields["place_ids"] = idsOf(ft.Properties["places"])
		}
		if fields["source_ids"] == "" {
			fields["source_ids"] = idsOf(ft.Properties["sources"])
		}
		for k, v := range fields {
			fields[k] = strings.TrimSpace(v)
		}
		in := checkIncident(c, fields, refs, false)
		if first, dup := seen[in.ID]; dup && in.ID != "" {
			c.fail("id", "%q is used again (first in feature %d)", in.ID, first)
		}
		seen[in.ID] = i + 1
		out = append(out, in)
	}
	verr.sortByColumn(IncidentColumns)
	if err := verr.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// jsonScalar turns a JSON string, number, boolean, null or array of strings into
// the CSV cell it stands for.
func jsonScalar(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case 't', 'f':
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return "", err
		}
		if b {
			return "yes", nil
		}
		return "no", nil
	case '[':
		var ss []string
		if err := json.Unmarshal(raw, &ss); err != nil {
			return "", fmt.Errorf("must be a list of strings")
		}
		return strings.Join(ss, "|"), nil
	case '{':
		return "", fmt.Errorf("must be a string, not an object")
	default:
		return string(raw), nil // a number, kept as written
	}
}

// idsOf reads [{"id": …}, …] into a "|"-separated cell.
func idsOf(raw json.RawMessage) string {
	var objs []struct {
		ID string `json:"id"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &objs) != nil {
		return ""
	}
	ids := make([]string, 0, len(objs))
	for _, o := range objs {
		ids = append(ids, o.ID)
	}
	return strings.Join(ids, "|")
}
