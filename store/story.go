package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/borderline/borderline/data"
)

// StorySummary is a story as a list shows it: its steps counted, not read.
type StorySummary struct {
	ID            string
	Title         string
	Description   string
	TitleKO       string
	DescriptionKO string
	Steps         int
}

// replaceStories writes the seed's stories in place of the ones stored. Only
// the seed writes stories, so all of them are the seed's.
func replaceStories(ctx context.Context, tx *sql.Tx, stories []data.Story) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM story`); err != nil {
		return fmt.Errorf("seed stories: %w", err)
	}
	for i, s := range stories {
		if _, err := tx.ExecContext(ctx, `INSERT INTO story (id, ord, title, description, title_ko, description_ko) VALUES (?,?,?,?,?,?)`,
			s.ID, i, s.Title, s.Description, s.TitleKO, s.DescriptionKO); err != nil {
			return fmt.Errorf("seed story %s: %w", s.ID, err)
		}
		for _, st := range s.Steps {
			if _, err := tx.ExecContext(ctx, `INSERT INTO story_step (story_id, step, incident_id, title, intro, title_ko, intro_ko) VALUES (?,?,?,?,?,?,?)`,
				s.ID, st.Step, st.IncidentID, st.Title, st.Intro, st.TitleKO, st.IntroKO); err != nil {
				return fmt.Errorf("seed story %s: step %d (incident %s): %w", s.ID, st.Step, st.IncidentID, err)
			}
		}
	}
	return nil
}

// Stories lists the curated stories in the seed's order, then the built-in
// story of every incident.
func (s *Store) Stories(ctx context.Context) ([]StorySummary, error) {
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("list stories: %w", err)
	}
	defer tx.Rollback() // read-only: one snapshot for the stories and the count
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.title, s.description, s.title_ko, s.description_ko, count(st.step)
		FROM story s LEFT JOIN story_step st ON st.story_id = s.id GROUP BY s.id ORDER BY s.ord`)
	if err != nil {
		return nil, fmt.Errorf("list stories: %w", err)
	}
	var out []StorySummary
	for rows.Next() {
		var sum StorySummary
		if err := rows.Scan(&sum.ID, &sum.Title, &sum.Description, &sum.TitleKO, &sum.DescriptionKO, &sum.Steps); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list stories: %w", err)
		}
		out = append(out, sum)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list stories: %w", err)
	}
	all := StorySummary{ID: data.AllStoryID, Title: data.AllStoryTitle, Description: data.AllStoryDescription,
		TitleKO: data.AllStoryTitleKO, DescriptionKO: data.AllStoryDescriptionKO}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM incident`).Scan(&all.Steps); err != nil {
		return nil, fmt.Errorf("list stories: count incidents: %w", err)
	}
	return append(out, all), nil
}

// Story returns one story with its steps in order, or ErrNotFound.
func (s *Store) Story(ctx context.Context, id string) (data.Story, error) {
	if id == data.AllStoryID {
		return s.allStory(ctx)
	}
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return data.Story{}, fmt.Errorf("read story %s: %w", id, err)
	}
	defer tx.Rollback() // read-only: one snapshot for the story and its steps
	st := data.Story{}
	err = tx.QueryRowContext(ctx, `SELECT id, title, description, title_ko, description_ko FROM story WHERE id = ?`, id).
		Scan(&st.ID, &st.Title, &st.Description, &st.TitleKO, &st.DescriptionKO)
	if errors.Is(err, sql.ErrNoRows) {
		return data.Story{}, ErrNotFound
	}
	if err != nil {
		return data.Story{}, fmt.Errorf("read story %s: %w", id, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT step, incident_id, title, intro, title_ko, intro_ko FROM story_step WHERE story_id = ? ORDER BY step`, id)
	if err != nil {
		return data.Story{}, fmt.Errorf("read story %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var step data.StoryStep
		if err := rows.Scan(&step.Step, &step.IncidentID, &step.Title, &step.Intro, &step.TitleKO, &step.IntroKO); err != nil {
			return data.Story{}, fmt.Errorf("read story %s: %w", id, err)
		}
		st.Steps = append(st.Steps, step)
	}
	if err := rows.Err(); err != nil {
		return data.Story{}, fmt.Errorf("read story %s: %w", id, err)
	}
	return st, nil
}

// allStory is the built-in story: one step per incident, imported ones
// included, in the order the map brings them into force. Ties go by id, not by
// when an incident was written, so every database tells it the same way.
func (s *Store) allStory(ctx context.Context) (data.Story, error) {
	st := data.Story{ID: data.AllStoryID, Title: data.AllStoryTitle, Description: data.AllStoryDescription,
		TitleKO: data.AllStoryTitleKO, DescriptionKO: data.AllStoryDescriptionKO}
	rows, err := s.ro.QueryContext(ctx, `SELECT id, title, summary, title_ko, summary_ko FROM incident ORDER BY day_from, id`)
	if err != nil {
		return data.Story{}, fmt.Errorf("read story %s: %w", st.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		step := data.StoryStep{Step: len(st.Steps) + 1}
		if err := rows.Scan(&step.IncidentID, &step.Title, &step.Intro, &step.TitleKO, &step.IntroKO); err != nil {
			return data.Story{}, fmt.Errorf("read story %s: %w", st.ID, err)
		}
		st.Steps = append(st.Steps, step)
	}
	if err := rows.Err(); err != nil {
		return data.Story{}, fmt.Errorf("read story %s: %w", st.ID, err)
	}
	return st, nil
}
