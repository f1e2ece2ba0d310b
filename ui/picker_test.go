package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

func testPicker(labels []string, free freeParser) *picker {
	th := theme{styles: NewStyles(nil, true, false), glyphs: newGlyphs(false)}
	items := make([]pickerItem, len(labels))
	for i, l := range labels {
		items[i] = pickerItem{label: l, apply: func(q state.Query) state.Query {
			q.Category = l
			return q
		}}
	}
	return newPicker(th, DefaultKeyMap(), "Pick", "type to narrow", items, 0, free)
}

func TestPickerNarrowsAsYouType(t *testing.T) {
	p := testPicker([]string{"sms-outbound", "mms-outbound", "verify", "sms-inbound"}, nil)
	for _, k := range []string{"s", "m", "s"} {
		p.update(keyMsg(k))
	}
	var shown []string
	for _, i := range p.shown {
		shown = append(shown, p.items[i].label)
	}
	if got := strings.Join(shown, ","); got != "sms-outbound,sms-inbound" {
		t.Errorf("typing sms shows %s", got)
	}
	p.update(keyMsg("down"))
	chosen, closed := p.update(keyMsg("enter"))
	if !closed || chosen == nil || chosen.apply(state.Query{}).Category != "sms-inbound" {
		t.Errorf("enter after down chose %+v (closed %v)", chosen, closed)
	}
}

func TestPickerBackspaceWidensAgain(t *testing.T) {
	p := testPicker([]string{"a", "b"}, nil)
	p.update(keyMsg("zz"))
	if len(p.shown) != 0 || !strings.Contains(ansi.Strip(p.view(80)), "no match") {
		t.Fatalf("zz shows %v", p.shown)
	}
	if chosen, closed := p.update(keyMsg("enter")); chosen != nil || closed {
		t.Error("enter with no match chose something")
	}
	p.update(keyMsg("backspace"))
	p.update(keyMsg("backspace"))
	if len(p.shown) != 2 {
		t.Errorf("after clearing the text %d items show", len(p.shown))
	}
}

func TestPickerEscCancels(t *testing.T) {
	p := testPicker([]string{"a"}, nil)
	p.update(keyMsg("a"))
	if chosen, closed := p.update(keyMsg("esc")); chosen != nil || !closed {
		t.Errorf("esc: chosen %v closed %v", chosen, closed)
	}
}

func TestPickerFreeTextShowsWhyUntilValid(t *testing.T) {
	today := api.NewDate(2026, 3, 20)
	p := testPicker([]string{"LAST_MONTH"}, func(text string) (pickerItem, bool, bool, string) {
		return parseRange(text, today)
	})
	p.update(keyMsg("2026-01-01..2026-02-30"))
	v := ansi.Strip(p.view(80))
	if !strings.Contains(v, "end:") {
		t.Errorf("an impossible end date shows no reason:\n%s", v)
	}
	if chosen, closed := p.update(keyMsg("enter")); chosen != nil || closed {
		t.Error("enter accepted an invalid range")
	}
	for range 2 {
		p.update(keyMsg("backspace"))
	}
	p.update(keyMsg("28"))
	if v := ansi.Strip(p.view(80)); !strings.Contains(v, "59 days") {
		t.Errorf("a valid range is not offered:\n%s", v)
	}
	chosen, closed := p.update(keyMsg("enter"))
	if !closed || chosen == nil {
		t.Fatal("enter refused a valid range")
	}
	if q := chosen.apply(state.Query{}); q.From != api.NewDate(2026, 1, 1) || q.To != api.NewDate(2026, 2, 28) {
		t.Errorf("chose %v..%v", q.From, q.To)
	}
}

func TestPickerViewFitsTheScreen(t *testing.T) {
	p := testPicker([]string{strings.Repeat("long label ", 20)}, nil)
	p.update(keyMsg(strings.Repeat("long label ", 5)))
	for _, w := range []int{20, 40, 80, 200} {
		for _, l := range strings.Split(p.view(w), "\n") {
			if lw := ansi.StringWidth(l); lw > max(w, 16) {
				t.Errorf("width %d: line of %d cells: %q", w, lw, ansi.Strip(l))
			}
		}
	}
}

// TestPickerSaysTheListGoesOn: with more items than rows, the picker says
// how many are below (and, scrolled, above) instead of looking complete.
func TestPickerSaysTheListGoesOn(t *testing.T) {
	var labels []string
	for i := range 15 {
		labels = append(labels, "category-"+string(rune('a'+i)))
	}
	p := testPicker(labels, nil)
	if v := ansi.Strip(p.view(80)); !strings.Contains(v, "↓ 5 more") || strings.Count(v, " more") != 1 {
		t.Errorf("top of a 15-item list:\n%s", v)
	}
	for range 12 {
		p.update(keyMsg("down"))
	}
	v := ansi.Strip(p.view(80))
	if !strings.Contains(v, "↑ 3 more") || !strings.Contains(v, "↓ 2 more") || !strings.Contains(v, "category-m") {
		t.Errorf("scrolled to the 13th item:\n%s", v)
	}
	if v := ansi.Strip(testPicker(labels[:3], nil).view(80)); strings.Contains(v, "more") {
		t.Errorf("a short list says there is more:\n%s", v)
	}
}

// TestPickerHintsNameOnlyKeysThatWork: in a picker letters are typed
// text, so the hint line must not offer k and j for moving.
func TestPickerHintsNameOnlyKeysThatWork(t *testing.T) {
	m := press(t, loaded(t, testOptions(newPagedFetcher(fixtureRecords(10), 1000)), 80, 24), "c")
	lines := strings.Split(screen(m), "\n")
	hint := lines[len(lines)-1]
	if strings.Contains(hint, "/k") || strings.Contains(hint, "/j") || !strings.Contains(hint, "move") {
		t.Errorf("picker hint line: %q", hint)
	}
	// And indeed k narrows rather than moves.
	m = press(t, m, "k")
	if m.picker == nil || m.picker.input.Value() != "k" {
		t.Errorf("k in the picker did not type")
	}
}

// TestCategoryPickerMarksCleanedNames: a category that only looks like
// another once its escape sequences are removed says so, since choosing it
// sends the raw text to the API.
func TestCategoryPickerMarksCleanedNames(t *testing.T) {
	recs := febRecords(1)
	odd := recs[0]
	odd.ProductName, odd.ProductCategory = "Odd", recs[0].ProductCategory[:3]+"\x1b[31m"+recs[0].ProductCategory[3:]
	m := press(t, loaded(t, testOptions(newPagedFetcher(append(recs, odd), 1000)), 100, 24), "c")
	v := screen(m)
	if strings.Count(v, recs[0].ProductCategory) != 2 || strings.Count(v, "control characters removed") != 1 {
		t.Errorf("category picker:\n%s", v)
	}
}

// TestPickerJumpKeys: Home, End, PgUp and PgDn move as in a list.
func TestPickerJumpKeys(t *testing.T) {
	var labels []string
	for i := range 25 {
		labels = append(labels, "category-"+string(rune('a'+i)))
	}
	p := testPicker(labels, nil)
	for _, step := range []struct {
		key  string
		want int
	}{{"end", 24}, {"home", 0}, {"pgdown", pickerRows}, {"pgdown", 2 * pickerRows}, {"pgdown", 24}, {"pgup", 24 - pickerRows}} {
		p.update(keyMsg(step.key))
		if p.cursor != step.want {
			t.Errorf("%s: cursor %d, want %d", step.key, p.cursor, step.want)
		}
	}
	if v := ansi.Strip(p.view(80)); !strings.Contains(v, "▶ "+labels[p.cursor]) {
		t.Errorf("the chosen item is not marked:\n%s", v)
	}
}
