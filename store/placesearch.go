package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Places search (q= on places and areas): a place matches when every word of
// the search starts a word of one of its names (English, Korean, Chinese, the
// other spellings). Names are compared folded: lower case, without accents
// (Sinŭiju is sinuiju) and without apostrophes (P'yŏngyang is pyongyang), as
// a reader types them. Chinese is written without spaces, so a Chinese name
// is one word: 新义 and 新义州 find 新义州, 义州 does not.
//
// Places number in the tens (thousands in the load tests): they are matched
// here, in Go, rather than through an index that every write would keep.

// The ranks of the places a search finds, best first: a name that is the
// search, a name that begins with it, and the rest (each word of the search
// begins a word of some name).
const (
	rankExact = iota
	rankStart
	rankWords
)

// foldWords are the words of s as a place search compares them. Accents are
// dropped from the decomposed text, which is then composed again: Hangul
// decomposes into letters (jamo), and comparing those would let 시 start
// 신의주; syllables are compared whole, as the incident search and the static
// copy compare them.
func foldWords(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.M, r):
		case r == '\'' || r == '’' || r == 'ʼ' || r == '‘':
			// An apostrophe marks aspiration in McCune–Reischauer, and no
			// one types it: it joins what it stands in, not splits it.
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return SearchWords(norm.NFC.String(b.String()))
}

// placeRank ranks a place with the given names (English first) for the
// folded search words, or reports that it does not match. length is that of
// the shortest name that earns the rank (the English name's for rankWords):
// within a rank, the name closest to what was typed comes first, so "north"
// lists North Korea before the North Korea–China border.
func placeRank(search []string, names []string) (rank, length int, ok bool) {
	rank, length = rankWords, utf8.RuneCountInString(names[0])
	var all []string
	for _, name := range names {
		words := foldWords(name)
		all = append(all, words...)
		r := rankWords
		switch {
		case slices.Equal(words, search):
			r = rankExact
		case startsWith(words, search):
			r = rankStart
		default:
			continue
		}
		if n := utf8.RuneCountInString(name); r < rank || r == rank && n < length {
			rank, length = r, n
		}
	}
	for _, w := range search {
		if !slices.ContainsFunc(all, func(a string) bool { return strings.HasPrefix(a, w) }) {
			return 0, 0, false
		}
	}
	return rank, length, true
}

// startsWith reports whether the words of a name begin with the search: its
// words but the last, then a word that the last starts.
func startsWith(name, search []string) bool {
	n := len(search)
	return n > 0 && len(name) >= n && slices.Equal(name[:n-1], search[:n-1]) && strings.HasPrefix(name[n-1], search[n-1])
}

// searchPlaces answers q (with Text) on places or areas, best match first,
// then in the collection's order.
func (s *Store) searchPlaces(ctx context.Context, collection string, q Query) (Page, error) {
	search := foldWords(q.Text)
	cond, args := featureFilter(collection, q)
	order := "f.ord"
	if len(q.Sort) > 0 {
		var err error
		if order, err = orderBy(collection, q.Sort); err != nil {
			return Page{}, err
		}
	}
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Page{}, fmt.Errorf("search %s: %w", collection, err)
	}
	defer tx.Rollback() // read-only: one snapshot for the names and the page
	rows, err := tx.QueryContext(ctx, `SELECT f.id, p.name_en, p.name_ko, p.name_zh, p.alt_names
		FROM feature f JOIN place p ON p.id = f.id`+cond+` ORDER BY `+order, args...)
	if err != nil {
		return Page{}, fmt.Errorf("search %s: %w", collection, err)
	}
	type hit struct {
		id           string
		rank, length int
	}
	var hits []hit
	for rows.Next() {
		var id, en, ko, zh, alt string
		if err := rows.Scan(&id, &en, &ko, &zh, &alt); err != nil {
			rows.Close()
			return Page{}, fmt.Errorf("search %s: %w", collection, err)
		}
		names := []string{en, ko, zh}
		var alts []string
		if err := json.Unmarshal([]byte(alt), &alts); err != nil {
			rows.Close()
			return Page{}, fmt.Errorf("search %s: place %s: alt_names: %w", collection, id, err)
		}
		if rank, length, ok := placeRank(search, append(names, alts...)); ok {
			hits = append(hits, hit{id, rank, length})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("search %s: %w", collection, err)
	}
	// Stable: the collection's order breaks the remaining ties. A sortby
	// wins over relevance: the words then only choose the places.
	if len(q.Sort) == 0 {
		slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Or(a.rank-b.rank, a.length-b.length) })
	}
	page := Page{Matched: len(hits)}
	if q.Offset >= len(hits) {
		return page, nil
	}
	hits = hits[q.Offset:min(len(hits), q.Offset+q.Limit)]
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, json FROM feature WHERE collection = ? AND id IN (SELECT value FROM json_each(?))`,
		collection, jsonList(ids))
	if err != nil {
		return Page{}, fmt.Errorf("search %s: %w", collection, err)
	}
	defer rows.Close()
	features := map[string]json.RawMessage{}
	for rows.Next() {
		var id string
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return Page{}, fmt.Errorf("search %s: %w", collection, err)
		}
		features[id] = b
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("search %s: %w", collection, err)
	}
	for _, id := range ids {
		page.Features = append(page.Features, features[id])
	}
	return page, nil
}
