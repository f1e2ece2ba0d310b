package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

func testPicker(labels []string, free freeParser) *picker {
	th := theme{styles: NewStyles(true, false), glyphs: newGlyphs(false)}
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
