package state_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

func TestAnomalyWindowLastJudgeable(t *testing.T) {
	d := api.NewDate(2025, 6, 15)
	cases := []struct {
		name string
		w    state.AnomalyWindow
		want api.Date
	}{
		{"asOf and today unknown", state.AnomalyWindow{From: d - 30, To: d}, d},
		{"asOf before the end", state.AnomalyWindow{From: d - 30, To: d, AsOf: d - 3}, d - 3},
		{"asOf is today: today is partial", state.AnomalyWindow{From: d - 30, To: d, AsOf: d, Today: d}, d - 1},
		{"asOf yesterday", state.AnomalyWindow{From: d - 30, To: d, AsOf: d - 1, Today: d}, d - 1},
		{"a past period", state.AnomalyWindow{From: d - 60, To: d - 31, AsOf: d, Today: d}, d - 31},
	}
	for _, c := range cases {
		if got := c.w.LastJudgeable(); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// spiky is a steady product with a spike on every day from index from on.
func spiky(start api.Date, n, from int) state.AnomalyInput {
	p := synthProduct{Name: "spiky", Level: 100, Weekend: 1, Noise: 0.03}
	in := p.input(start, n, 7)
	for i := from; i < n; i++ {
		in.Daily[i] = in.Daily[i].Mul(decimal.NewFromInt(int64(4 + i%3)))
	}
	return in
}

func TestDetectorNeverJudgesPastAsOfOrToday(t *testing.T) {
	start := api.NewDate(2025, 1, 1)
	in := spiky(start, 60, 55) // days 55..59 spike
	today := start.AddDays(59)
	cases := []struct {
		name string
		w    state.AnomalyWindow
		last api.Date // no anomaly may be after it
	}{
		{"today is partial", state.AnomalyWindow{From: start.AddDays(40), To: today, AsOf: today, Today: today}, today - 1},
		{"asOf two days back", state.AnomalyWindow{From: start.AddDays(40), To: today, AsOf: today - 2, Today: today}, today - 2},
		{"to before the spikes", state.AnomalyWindow{From: start.AddDays(40), To: start.AddDays(54), AsOf: today, Today: today}, start.AddDays(54)},
	}
	for _, c := range cases {
		res := state.DetectAnomalies(in, c.w, state.DefaultDetectorConfig())
		for _, a := range res.Anomalies {
			if a.Date > c.last {
				t.Errorf("%s: flagged %s, after the last judgeable day %s", c.name, a.Date, c.last)
			}
		}
		if c.last >= start.AddDays(55) && len(res.Anomalies) == 0 {
			t.Errorf("%s: the spike on %s was not flagged", c.name, start.AddDays(55))
		}
		if want := int(c.last-c.w.From) + 1; res.Judged != want {
			t.Errorf("%s: judged %d days, want %d", c.name, res.Judged, want)
		}
	}
	// A window wholly after asOf has nothing to judge, and says so.
	res := state.DetectAnomalies(in, state.AnomalyWindow{From: today, To: today, AsOf: today, Today: today}, state.DefaultDetectorConfig())
	if res.Status != state.AnomalyNothingToJudge || len(res.Anomalies) != 0 || res.Note == "" {
		t.Errorf("window on the partial day: %v %q %d anomalies", res.Status, res.Note, len(res.Anomalies))
	}
}

func TestDetectorSaysTooLittleHistory(t *testing.T) {
	start := api.NewDate(2025, 1, 1)
	cfg := state.DefaultDetectorConfig()
	// Ten days of data with a spike at the end: nothing to judge it by.
	in := spiky(start, 10, 9)
	w := state.AnomalyWindow{From: start, To: start.AddDays(9), AsOf: start.AddDays(9)}
	res := state.DetectAnomalies(in, w, cfg)
	if res.Status != state.AnomalyTooLittleHistory || len(res.Anomalies) != 0 || res.Judged != 0 || res.Unjudged != 10 {
		t.Errorf("10 days: status %v, %d anomalies, judged %d, unjudged %d", res.Status, len(res.Anomalies), res.Judged, res.Unjudged)
	}
	if !strings.Contains(res.Note, "history") {
		t.Errorf("note %q does not say why", res.Note)
	}
	// Twenty days: the first MinHistoryDays are not judged, the rest are.
	in = spiky(start, 20, 19)
	w = state.AnomalyWindow{From: start, To: start.AddDays(19), AsOf: start.AddDays(19)}
	res = state.DetectAnomalies(in, w, cfg)
	if res.Status != state.AnomalyPartlyJudged || res.Unjudged != cfg.MinHistoryDays || res.Judged != 20-cfg.MinHistoryDays {
		t.Errorf("20 days: status %v, judged %d, unjudged %d", res.Status, res.Judged, res.Unjudged)
	}
	if len(res.Anomalies) != 1 || res.Anomalies[0].Date != start.AddDays(19) {
		t.Errorf("20 days: anomalies %+v, want the spike on day 19", res.Anomalies)
	}
}

func TestDetectorEmptyInput(t *testing.T) {
	d := api.NewDate(2025, 1, 1)
	res := state.DetectAnomalies(state.AnomalyInput{Start: d}, state.AnomalyWindow{From: d, To: d + 30, AsOf: d + 30}, state.DefaultDetectorConfig())
	if res.Status != state.AnomalyNothingToJudge || len(res.Anomalies) != 0 {
		t.Errorf("empty input: %v, %d anomalies", res.Status, len(res.Anomalies))
	}
}

func TestDetectorLoneChargeTooEarlyToTell(t *testing.T) {
	// A charge after four quiet weeks, gone the next day, with no history
	// reaching last month: a monthly fee or a new cost? The detector says
	// it cannot tell rather than guessing.
	start := api.NewDate(2025, 1, 4)
	daily := make([]decimal.Decimal, 40)
	for i := range daily {
		daily[i] = decimal.Zero
	}
	daily[28] = decimal.RequireFromString("49.00") // 2025-02-01
	in := state.AnomalyInput{ProductName: "Phone Numbers", Start: start, Daily: daily}
	w := state.AnomalyWindow{From: start.AddDays(28), To: start.AddDays(39), AsOf: start.AddDays(39)}
	res := state.DetectAnomalies(in, w, state.DefaultDetectorConfig())
	if len(res.Anomalies) != 0 || !strings.Contains(res.Note, "monthly fee") {
		t.Errorf("anomalies %+v, note %q", res.Anomalies, res.Note)
	}
	// The same charge that carries on is a new cost.
	for i := 28; i < 40; i++ {
		daily[i] = decimal.RequireFromString("49.00")
	}
	res = state.DetectAnomalies(in, w, state.DefaultDetectorConfig())
	if len(res.Anomalies) != 1 || res.Anomalies[0].Kind != state.AnomalyNew || res.Anomalies[0].Date != start.AddDays(28) {
		t.Errorf("lasting charge: %+v", res.Anomalies)
	}
}

func TestDetectorAnomalyFields(t *testing.T) {
	start := api.NewDate(2025, 3, 3) // a Monday
	daily := make([]decimal.Decimal, 60)
	for i := range daily {
		daily[i] = decimal.RequireFromString("100.00")
	}
	daily[57] = decimal.RequireFromString("412.3456") // Tuesday 2025-04-29
	in := state.AnomalyInput{ProductName: "SMS", ProductCategory: "sms", Currency: "USD", Start: start, Daily: daily}
	w := state.AnomalyWindow{From: start.AddDays(30), To: start.AddDays(59), AsOf: start.AddDays(59)}
	res := state.DetectAnomalies(in, w, state.DefaultDetectorConfig())
	if len(res.Anomalies) != 1 {
		t.Fatalf("anomalies %+v", res.Anomalies)
	}
	a := res.Anomalies[0]
	if a.ProductName != "SMS" || a.ProductCategory != "sms" || a.Currency != "USD" || a.Date != start.AddDays(57) || a.Kind != state.AnomalySpike {
		t.Errorf("anomaly %+v", a)
	}
	if a.Actual.String() != "412.3456" || a.Expected.String() != "100" || a.Impact.String() != "312.3456" {
		t.Errorf("actual %s expected %s impact %s", a.Actual, a.Expected, a.Impact)
	}
	if a.ImpactPercent < 312.34 || a.ImpactPercent > 312.35 || !a.HasPercent() {
		t.Errorf("impact percent %v", a.ImpactPercent)
	}
	if a.Score < state.DefaultAnomalyThreshold || a.Score > state.AnomalyScoreCap {
		t.Errorf("score %v", a.Score)
	}
	if want := "Tue 4.1x its weekday median; +$312"; a.Reason != want {
		t.Errorf("reason %q, want %q", a.Reason, want)
	}
}

func TestDetectorConfigValidate(t *testing.T) {
	ok := state.DefaultDetectorConfig()
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	// Settings from the config file carry no min_history_days: 0 is the default.
	ok.MinHistoryDays, ok.LookbackDays = 0, 0
	if err := ok.Validate(); err != nil {
		t.Fatalf("unset lookback and history: %v", err)
	}
	cases := []struct {
		name string
		edit func(*state.DetectorConfig)
		word string // the setting the error must name
	}{
		{"zero threshold", func(c *state.DetectorConfig) { c.Threshold = 0 }, "threshold"},
		{"negative floor", func(c *state.DetectorConfig) { c.MinImpact = decimal.NewFromInt(-1) }, "min_impact"},
		{"negative percent", func(c *state.DetectorConfig) { c.MinPercent = -5 }, "min_percent"},
		{"lookback of 3 days", func(c *state.DetectorConfig) { c.LookbackDays = 3 }, "lookback_days"},
		{"history beyond the lookback", func(c *state.DetectorConfig) { c.MinHistoryDays = 40 }, "min_history_days"},
	}
	for _, c := range cases {
		cfg := state.DefaultDetectorConfig()
		c.edit(&cfg)
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.word) {
			t.Errorf("%s: error %v, want one naming %s", c.name, err, c.word)
		}
	}
}

func TestDetectorConfigHistoryStart(t *testing.T) {
	from := api.NewDate(2025, 3, 1)
	if got := state.DefaultDetectorConfig().HistoryStart(from); got != api.NewDate(2025, 2, 1) {
		t.Errorf("history start %s, want 2025-02-01 (28 days before)", got)
	}
	if got := (state.DetectorConfig{}).HistoryStart(from); got != api.NewDate(2025, 2, 1) {
		t.Errorf("history start of an unset config %s, want the default lookback's", got)
	}
}
