package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"github.com/borderline/borderline/data"
)

// readIncidents loads incidents as the data package models them, ordered by
// date then id, with their place and source links. cond, if not empty, is a
// condition on incident.rowid (with its args) that limits which are read.
func readIncidents(ctx context.Context, q querier, cond string, args ...any) ([]data.Incident, []int64, error) {
	where := ""
	if cond != "" {
		where = "WHERE " + cond
	}
	rows, err := q.QueryContext(ctx, `SELECT rowid, id, title, summary, title_ko, summary_ko, category, date_start, date_end, date_precision, date_inferred,
		date_note, location_precision, location_note, verification, verification_note, contradictions, research_ref
		FROM incident `+where+` ORDER BY day_from, rowid`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("read incidents: %w", err)
	}
	var out []data.Incident
	var rowids []int64
	index := map[int64]int{}
	for rows.Next() {
		var in data.Incident
		var rowid int64
		var start, end string
		var inferred int
		if err := rows.Scan(&rowid, &in.ID, &in.Title, &in.Summary, &in.TitleKO, &in.SummaryKO, &in.Category, &start, &end, &in.DatePrecision, &inferred,
			&in.DateNote, &in.LocationPrecision, &in.LocationNote, &in.Verification, &in.VerificationNote, &in.Contradictions, &in.ResearchRef); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("read incidents: %w", err)
		}
		in.DateInferred = inferred == 1
		if in.DateStart, err = data.ParseDate(start); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("read incident %s: date_start: %w", in.ID, err)
		}
		if end != "" {
			if in.DateEnd, err = data.ParseDate(end); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("read incident %s: date_end: %w", in.ID, err)
			}
		}
		index[rowid] = len(out)
		out = append(out, in)
		rowids = append(rowids, rowid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read incidents: %w", err)
	}
	links := []struct {
		query string
		add   func(in *data.Incident, id string)
	}{
		{`SELECT incident, place_id FROM incident_place WHERE incident IN (SELECT rowid FROM incident ` + where + `) ORDER BY incident, ord`, func(in *data.Incident, id string) { in.PlaceIDs = append(in.PlaceIDs, id) }},
		{`SELECT incident, source_id FROM incident_source WHERE incident IN (SELECT rowid FROM incident ` + where + `) ORDER BY incident, ord`, func(in *data.Incident, id string) { in.SourceIDs = append(in.SourceIDs, id) }},
	}
	for _, l := range links {
		rows, err := q.QueryContext(ctx, l.query, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("read incident links: %w", err)
		}
		for rows.Next() {
			var rowid int64
			var id string
			if err := rows.Scan(&rowid, &id); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("read incident links: %w", err)
			}
			if i, ok := index[rowid]; ok {
				l.add(&out[i], id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("read incident links: %w", err)
		}
	}
	return out, rowids, nil
}

// Incidents returns every incident, for export.
func (s *Store) Incidents(ctx context.Context) ([]data.Incident, error) {
	out, _, err := readIncidents(ctx, s.ro, "")
	return out, err
}

// Sources returns every source report, oldest first. Sources are never
// removed (incidents refer to them), so a list read after a page of
// incidents still holds every source that page cites.
func (s *Store) Sources(ctx context.Context) ([]data.Source, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id, seed_file, outlet, original_reporter, author, headline, published,
		published_inferred, published_note, url FROM source ORDER BY published, id`)
	if err != nil {
		return nil, fmt.Errorf("read sources: %w", err)
	}
	defer rows.Close()
	var out []data.Source
	for rows.Next() {
		var src data.Source
		if err := rows.Scan(&src.ID, &src.SeedFile, &src.Outlet, &src.OriginalReporter, &src.Author, &src.Headline, &src.Published,
			&src.PublishedInferred, &src.PublishedNote, &src.URL); err != nil {
			return nil, fmt.Errorf("read sources: %w", err)
		}
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read sources: %w", err)
	}
	return out, nil
}

// IncidentsMatching returns the page of incidents a query selects, in the
// data package's model (for CSV), and how many match in all.
func (s *Store) IncidentsMatching(ctx context.Context, q Query) ([]data.Incident, int, error) {
	countSQL, idsSQL, args, err := incidentQuery(q)
	if err != nil {
		return nil, 0, err
	}
	sub := "rowid IN (SELECT id FROM (" + idsSQL + "))"
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, fmt.Errorf("query incidents: %w", err)
	}
	defer tx.Rollback()
	var matched int
	if err := tx.QueryRowContext(ctx, countSQL, args[:len(args)-2]...).Scan(&matched); err != nil {
		return nil, 0, fmt.Errorf("count incidents: %w", err)
	}
	out, rowids, err := readIncidents(ctx, tx, sub, args...)
	if err != nil || len(q.Sort) == 0 {
		return out, matched, err
	}
	// readIncidents lists by first day; a sortby's order is the ids query's.
	rows, err := tx.QueryContext(ctx, "SELECT id FROM ("+idsSQL+") ORDER BY d", args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sort incidents: %w", err)
	}
	defer rows.Close()
	at := make(map[int64]int, len(rowids))
	for i, id := range rowids {
		at[id] = i
	}
	sorted := make([]data.Incident, 0, len(out))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, 0, fmt.Errorf("sort incidents: %w", err)
		}
		sorted = append(sorted, out[at[id]])
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("sort incidents: %w", err)
	}
	return sorted, matched, nil
}

// WriteIncidentsGeoJSON writes every incident as one FeatureCollection, in the
// shape the API serves and the import reads, with terms (licences, citation)
// as top-level members.
func (s *Store) WriteIncidentsGeoJSON(ctx context.Context, w io.Writer, terms data.Terms) error {
	members, err := terms.Members()
	if err != nil {
		return fmt.Errorf("export incidents: %w", err)
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT feature FROM incident ORDER BY day_from, rowid`)
	if err != nil {
		return fmt.Errorf("export incidents: %w", err)
	}
	defer rows.Close()
	if _, err := io.WriteString(w, `{"type":"FeatureCollection",`+string(members)+`,"features":[`); err != nil {
		return fmt.Errorf("export incidents: %w", err)
	}
	for n := 0; rows.Next(); n++ {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return fmt.Errorf("export incidents: %w", err)
		}
		if n > 0 {
			b = append([]byte{',', '\n'}, b...)
		}
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("export incidents: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export incidents: %w", err)
	}
	if _, err := io.WriteString(w, "]}\n"); err != nil {
		return fmt.Errorf("export incidents: %w", err)
	}
	return nil
}
