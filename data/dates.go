package data

import (
	"fmt"
	"time"
)

// DateLayout is the only date form the dataset accepts: ISO 8601 calendar dates.
const DateLayout = "2006-01-02"

// ParseDate parses an ISO date as midnight UTC. Dates in this project are
// calendar days as the reports give them (Korea time), never instants.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return t, nil
}

// FormatDate is ParseDate's inverse; the zero time becomes "".
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}

// PeriodEnd is the last day of the period a date of the given precision stands
// for. Week and season are counted from the start day because the reports'
// "that week" or "that spring" does not say where the period begins.
func PeriodEnd(start time.Time, precision string) time.Time {
	switch precision {
	case "week":
		return start.AddDate(0, 0, 6)
	case "month":
		return time.Date(start.Year(), start.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	case "season":
		return start.AddDate(0, 3, -1)
	case "year":
		return time.Date(start.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
	default:
		return start
	}
}

// DayNumber counts days since 1970-01-01; it is what the time index stores.
func DayNumber(t time.Time) int64 {
	return t.Unix() / 86400
}

// FromDayNumber is DayNumber's inverse.
func FromDayNumber(n int64) time.Time {
	return time.Unix(n*86400, 0).UTC()
}
