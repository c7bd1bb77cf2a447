package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/borderline/borderline/data"
)

// The synthetic incidents cover 2020–2021, the period of the dataset.
var (
	firstDay = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)
)

func date(s string) time.Time {
	t, err := data.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// periods make some stretches of time busier than others, as the reports
// are: the closure in early 2020, the months after the shoot-on-sight order
// of 26 August 2020, the Hyesan lockdown of spring 2021; winters are quieter.
// Weights multiply. Category boosts apply to incidents starting in them.
var periods = []struct {
	from, to time.Time
	weight   float64
	boost    map[string]float64
}{
	{date("2020-01-22"), date("2020-03-31"), 1.7, map[string]float64{"quarantine": 2, "border_security": 1.5}},
	{date("2020-08-26"), date("2020-11-30"), 2.8, map[string]float64{"border_security": 3, "arrests": 1.5}},
	{date("2021-03-01"), date("2021-04-30"), 1.8, map[string]float64{"quarantine": 2.5, "health": 1.5}},
	{date("2021-09-01"), date("2021-10-31"), 1.2, map[string]float64{"economy": 1.5}},
}

func winter(t time.Time) bool { m := t.Month(); return m == 12 || m <= 2 }

// weighted picks an index from cumulative weights.
type weighted []float64

func newWeighted(w []float64) weighted {
	c := make(weighted, len(w))
	sum := 0.0
	for i, x := range w {
		sum += x
		c[i] = sum
	}
	return c
}

func (c weighted) pick(rng *rand.Rand) int {
	x := rng.Float64() * c[len(c)-1]
	i, _ := slices.BinarySearch(c, x)
	return min(i, len(c)-1)
}

var (
	categoryBase = map[string]float64{"border_security": 20, "quarantine": 18, "arrests": 17, "health": 12,
		"defection": 9, "policy": 13, "economy": 11}
	verificationWeights = []float64{50, 25, 12, 13} // data.Verifications order
	// data.DatePrecisions order: day, week, month, season, year.
	precisionWeights = []float64{56, 15, 17, 7, 5}
)

// generator makes the synthetic incidents; next is deterministic for a given
// RNG seed, villages and seed places.
type generator struct {
	rng        *rand.Rand
	days       []time.Time
	dayPick    weighted
	villages   []village
	villPick   weighted
	towns      []string // seed places with a point near the border
	provinces  []string
	nopoint    []string // places with no point: country, border
	elsewhere  []string // seed places away from the border
	names      map[string]string
	sources    []string
	categories []string
	catPick    map[int]weighted // by period index, -1 for none
	verPick    weighted
	precPick   weighted
}

func newGenerator(seed *data.Seed, villages []village, rngSeed uint64) *generator {
	g := &generator{rng: rand.New(rand.NewPCG(rngSeed, 0x5eed)), villages: villages, names: map[string]string{},
		verPick: newWeighted(verificationWeights), precPick: newWeighted(precisionWeights), catPick: map[int]weighted{}}
	var dw []float64
	for d := firstDay; !d.After(lastDay); d = d.AddDate(0, 0, 1) {
		w := 1.0
		if winter(d) {
			w *= 0.55
		}
		if i := periodOf(d); i >= 0 {
			w *= periods[i].weight
		}
		g.days = append(g.days, d)
		dw = append(dw, w)
	}
	g.dayPick = newWeighted(dw)
	// Some villages see much more than others (a market town, a crossing).
	vw := make([]float64, len(villages))
	for i := range vw {
		vw[i] = 1 / math.Pow(float64(g.rng.IntN(len(villages))+8), 0.7)
	}
	g.villPick = newWeighted(vw)
	for _, v := range villages {
		g.names[v.place.ID] = v.place.NameEN
	}
	for _, p := range seed.Places {
		g.names[p.ID] = p.NameEN
		switch {
		case p.Kind == "province":
			g.provinces = append(g.provinces, p.ID)
		case !p.HasPoint():
			g.nopoint = append(g.nopoint, p.ID)
		case *p.Lon > 124 && *p.Lon < 131 && *p.Lat > 39.5 && *p.Lat < 43.5 && (p.Kind == "city" || p.Kind == "county"):
			g.towns = append(g.towns, p.ID)
		default:
			g.elsewhere = append(g.elsewhere, p.ID)
		}
	}
	for _, s := range seed.Sources {
		g.sources = append(g.sources, s.ID)
	}
	g.categories = data.CodeValues(data.Categories)
	for pi := -1; pi < len(periods); pi++ {
		w := make([]float64, len(g.categories))
		for i, c := range g.categories {
			w[i] = categoryBase[c]
			if pi >= 0 {
				if b, ok := periods[pi].boost[c]; ok {
					w[i] *= b
				}
			}
		}
		g.catPick[pi] = newWeighted(w)
	}
	return g
}

func periodOf(d time.Time) int {
	for i, p := range periods {
		if !d.Before(p.from) && !d.After(p.to) {
			return i
		}
	}
	return -1
}

// incident makes the i-th synthetic incident. The first few go through every
// category, verification and date precision in turn, so even a small
// database has each of them.
func (g *generator) incident(i int) data.Incident {
	r := g.rng
	in := data.Incident{ID: fmt.Sprintf("bench-%07d", i)}

	day := g.days[g.dayPick.pick(r)]
	prec := data.DatePrecisions[g.precPick.pick(r)].Value
	cat := g.categories[g.catPick[periodOf(day)].pick(r)]
	ver := data.Verifications[g.verPick.pick(r)].Value
	if i < 140 {
		cat = g.categories[i%len(g.categories)]
		ver = data.Verifications[(i/len(g.categories))%len(data.Verifications)].Value
		prec = data.DatePrecisions[i%len(data.DatePrecisions)].Value
	}
	in.Category, in.Verification, in.DatePrecision = cat, ver, prec
	g.dates(&in, day)

	g.placesOf(&in)
	in.SourceIDs = []string{g.sources[r.IntN(len(g.sources))]}
	if r.IntN(100) < 28 {
		if s := g.sources[r.IntN(len(g.sources))]; s != in.SourceIDs[0] {
			in.SourceIDs = append(in.SourceIDs, s)
		}
	}
	place := g.names[in.PlaceIDs[0]]
	in.Title = g.title(cat, place)
	in.Summary = g.summary(cat, place, in)
	if r.IntN(100) < 25 {
		in.TitleKO = g.titleKO(cat)
		in.SummaryKO = g.summaryKO(cat)
	}
	if r.IntN(100) < 10 {
		in.VerificationNote = "Synthetic: " + pick(r, verificationNotes)
	}
	return in
}

// dates sets the start, end, inferred flag and note from a sampled day: a
// month, season or year starts on the first of its month (or of January);
// some incidents are ranges with an explicit end, as "between 7 and 20 May".
func (g *generator) dates(in *data.Incident, day time.Time) {
	r := g.rng
	start := day
	var end time.Time
	switch in.DatePrecision {
	case "day":
		if r.IntN(100) < 15 {
			end = start.AddDate(0, 0, 1+r.IntN(20))
		}
	case "week":
		if r.IntN(100) < 10 {
			end = start.AddDate(0, 0, 7+r.IntN(7))
		}
	case "month":
		start = time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
		if r.IntN(100) < 15 { // "from March to June"
			end = time.Date(day.Year(), day.Month()+2+time.Month(r.IntN(3)), 0, 0, 0, 0, 0, time.UTC)
		}
	case "season":
		start = time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
	case "year":
		start = time.Date(day.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		if r.IntN(100) < 10 { // "in 2020, until the order of 26 August"
			end = day
		}
	}
	if !end.IsZero() && end.After(lastDay) {
		end = lastDay
	}
	// A week or a season that would run into 2022 starts earlier instead.
	if end.IsZero() && data.PeriodEnd(start, in.DatePrecision).After(lastDay) {
		switch in.DatePrecision {
		case "week":
			start = lastDay.AddDate(0, 0, -6)
		case "season":
			start = time.Date(2021, 10, 1, 0, 0, 0, 0, time.UTC)
		}
	}
	in.DateStart, in.DateEnd = start, end
	in.DateInferred = r.IntN(100) < 22
	if in.DateInferred || r.IntN(100) < 8 {
		in.DateNote = "Synthetic: " + pick(r, dateNotes)
	}
}

func (g *generator) placesOf(in *data.Incident) {
	r := g.rng
	vill := func() int { return g.villPick.pick(r) }
	switch x := r.IntN(1000); {
	case x < 780: // one village
		in.PlaceIDs = []string{g.villages[vill()].place.ID}
		in.LocationPrecision = "exact"
		if r.IntN(100) < 20 {
			in.LocationPrecision = "near"
			in.LocationNote = "Synthetic: " + pick(r, locationNotes)
		}
	case x < 840: // a town of the seed
		in.PlaceIDs = []string{pick(r, g.towns)}
		in.LocationPrecision = "exact"
	case x < 890: // two places: neighbouring villages, or a village and a town
		v := vill()
		w := max(0, min(len(g.villages)-1, v+1+r.IntN(3)))
		second := g.villages[w].place.ID
		if r.IntN(3) == 0 {
			second = pick(r, g.towns)
		}
		in.PlaceIDs = []string{g.villages[v].place.ID, second}
		in.LocationPrecision = "near"
		in.LocationNote = "Synthetic: reported at two places."
	case x < 940: // a province
		in.PlaceIDs = []string{pick(r, g.provinces)}
		in.LocationPrecision = "broad"
	case x < 985: // the whole country, China, or the border: no point
		in.PlaceIDs = []string{pick(r, g.nopoint)}
		if r.IntN(4) == 0 {
			in.PlaceIDs = append(in.PlaceIDs, pick(r, g.provinces))
		}
		in.LocationPrecision = "broad"
	default: // away from the border: Pyongyang, a camp, Geneva…
		in.PlaceIDs = []string{pick(r, g.elsewhere)}
		in.LocationPrecision = "near"
	}
	if len(in.PlaceIDs) == 2 && in.PlaceIDs[0] == in.PlaceIDs[1] {
		in.PlaceIDs = in.PlaceIDs[:1]
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// title is 40–90 characters: "Synthetic: <what> near <place>".
func (g *generator) title(cat, place string) string {
	r := g.rng
	for range 8 {
		t := "Synthetic: " + pick(r, titlePhrases[cat]) + pick(r, []string{" near ", " in ", " around "}) + place
		if n := utf8.RuneCountInString(t); n >= 40 && n <= 90 {
			return t
		}
	}
	t := "Synthetic: " + titlePhrases[cat][0]
	for utf8.RuneCountInString(t) < 40 {
		t += " (test record)"
	}
	return t
}

// summary is 250–700 characters of neutral phrases, starting "Synthetic
// incident:", the length drawn for each incident.
func (g *generator) summary(cat, place string, in data.Incident) string {
	r := g.rng
	target := 250 + r.IntN(451)
	var b strings.Builder
	b.Grow(target + 160)
	b.WriteString("Synthetic incident: ")
	b.WriteString(pick(r, summaryLead[cat]))
	b.WriteString(" The account places it at ")
	b.WriteString(place)
	b.WriteString(", ")
	b.WriteString(whenPhrase(in))
	b.WriteString(".")
	// Each filler sentence at most once, in a random order.
	for _, k := range r.Perm(len(summaryFiller)) {
		s := summaryFiller[k]
		if b.Len() >= target || b.Len()+1+len(s) > 700 {
			break
		}
		b.WriteByte(' ')
		b.WriteString(s)
	}
	if b.Len() < 250 {
		b.WriteString(" This record is made up for load tests and describes no real event.")
	}
	return b.String()
}

func whenPhrase(in data.Incident) string {
	from, to := in.InForce()
	switch {
	case !in.DateEnd.IsZero():
		return "between " + from.Format("2 January 2006") + " and " + to.Format("2 January 2006")
	case in.DatePrecision == "day":
		return "on " + from.Format("2 January 2006")
	case in.DatePrecision == "week":
		return "in the week from " + from.Format("2 January 2006")
	case in.DatePrecision == "month":
		return "some time in " + from.Format("January 2006")
	case in.DatePrecision == "season":
		return "in the three months from " + from.Format("January 2006")
	}
	return "some time in " + from.Format("2006")
}

func (g *generator) titleKO(cat string) string {
	return "가상 사건: " + pick(g.rng, titlePhrasesKO[cat])
}

func (g *generator) summaryKO(cat string) string {
	r := g.rng
	target := 120 + r.IntN(200) // in runes: Korean says it in fewer characters
	var b strings.Builder
	b.WriteString("가상 사건: ")
	b.WriteString(pick(r, titlePhrasesKO[cat]))
	b.WriteString(".")
	for _, k := range r.Perm(len(summaryFillerKO)) {
		if utf8.RuneCountInString(b.String()) >= target {
			break
		}
		b.WriteByte(' ')
		b.WriteString(summaryFillerKO[k])
	}
	return b.String()
}

// The vocabulary: neutral, made-up phrases, none taken from the reports.
var (
	titlePhrases = map[string][]string{
		"border_security": {"patrols along the river bank are doubled", "a new fence section is put up",
			"guard posts are added along the road", "night watches are extended", "access to the river is closed",
			"lights are installed along the bank", "checkpoint hours are shortened"},
		"quarantine": {"a district is placed under lockdown", "residents are told to stay at home",
			"travellers are held in an isolation ward", "a market is closed for disinfection",
			"movement between villages is restricted", "a quarantine period is extended"},
		"arrests": {"traders are questioned by officials", "phone users are detained",
			"a group is held for crossing attempts", "inspections of homes are reported",
			"a broker is reported detained", "a public meeting warns residents"},
		"health": {"fever cases are reported at a clinic", "medicine is said to be in short supply",
			"a hospital ward is set aside", "deaths in isolation are reported",
			"a vaccination rumour spreads", "clinics are told to report fevers"},
		"defection": {"a family is reported missing", "crossings are said to have stopped",
			"a crossing attempt is reported", "brokers raise their prices",
			"relatives lose contact across the river"},
		"policy": {"a new order on border access is read out", "officials announce inspections",
			"a decree on trade is reported", "rules for travel permits change",
			"a meeting of local officials is held"},
		"economy": {"market prices of rice rise", "imports through the crossing pause",
			"smuggling of goods slows", "fuel prices are reported higher",
			"traders cannot pay their debts", "a customs yard reopens briefly"},
	}
	summaryLead = map[string][]string{
		"border_security": {"Border units were said to have tightened watch over the river bank.",
			"A local account describes new restrictions on approaching the border line."},
		"quarantine": {"Residents were said to be kept at home while the area was disinfected.",
			"An account describes people held in quarantine after travel."},
		"arrests": {"Security officials were said to have detained several residents.",
			"A local account describes questioning of people suspected of outside contact."},
		"health": {"An account describes fever cases and a shortage of medicine.",
			"A clinic was said to have set rooms aside for people with symptoms."},
		"defection": {"An account describes a crossing attempt and its aftermath.",
			"Relatives across the river were said to have lost contact."},
		"policy": {"Local officials were said to have announced new rules.",
			"An order was said to have been read out at workplace meetings."},
		"economy": {"Market prices were said to have moved sharply.",
			"Trade through the nearby crossing was said to have paused."},
	}
	summaryFiller = []string{
		"The account could not be checked independently.",
		"Neighbouring districts were said to see similar measures.",
		"The figures given are approximate.",
		"No official statement was found.",
		"The measure was described as temporary.",
		"Residents were said to have been told at a public meeting.",
		"The report does not name its source.",
		"Details of the date are uncertain.",
		"Prices and numbers vary between accounts.",
		"It is not known how long the measure lasted.",
		"A second account gives a slightly different place.",
		"This record is made up for load tests and describes no real event.",
		"The wording of the order is not known.",
		"Local markets were said to be quieter than usual.",
		"Movement along the nearby road was said to be limited.",
	}
	dateNotes = []string{"the date is estimated from the report's wording.", "the report gives only the month.",
		"inferred from the date of publication.", "the end date is the last day mentioned."}
	locationNotes = []string{"somewhere near this village.", "the report names only the district.",
		"the point is the village centre."}
	verificationNotes = []string{"one unnamed source.", "two accounts agree on the outline.", "an official notice as relayed."}

	titlePhrasesKO = map[string][]string{
		"border_security": {"강변 순찰 강화", "국경 울타리 추가 설치", "강 접근 금지"},
		"quarantine":      {"지역 봉쇄 조치", "주민 외출 제한", "격리 기간 연장"},
		"arrests":         {"상인 조사", "휴대전화 사용자 단속", "가택 수색 보도"},
		"health":          {"진료소 발열 환자 보고", "의약품 부족", "격리 병동 지정"},
		"defection":       {"가족 행방불명", "도강 시도 보도", "중개인 비용 상승"},
		"policy":          {"국경 출입 새 명령", "관리 검열 발표", "여행 허가 규정 변경"},
		"economy":         {"쌀값 상승", "세관 수입 중단", "연료 가격 상승"},
	}
	summaryFillerKO = []string{
		"이 기록은 부하 시험을 위해 만든 것으로 실제 사건이 아니다.",
		"독자적으로 확인할 수 없었다.",
		"인근 지역에서도 비슷한 조치가 있었다고 한다.",
		"수치는 대략적이다.",
		"공식 발표는 찾을 수 없었다.",
		"날짜는 정확하지 않다.",
	}
)
