package snapshot

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/api/fakeapi"
	"github.com/usagetop/usagetop/api/window"
)

// today is the demo generator's last day of data in these tests.
var today = api.NewDate(2026, 12, 2)

var demo = fakeapi.NewGenerator(1, today)

var dailyKey = QueryKey{Source: "http://127.0.0.1:8787", GroupID: fakeapi.DemoGroupGlobex, Aggregation: api.Daily}

var monthlyKey = QueryKey{Source: "http://127.0.0.1:8787", GroupID: fakeapi.DemoGroupGlobex, Aggregation: api.Monthly}

func day(s string) api.Date {
	d, err := api.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func rng(from, to string) window.Range { return window.Range{From: day(from), To: day(to)} }

// demoRecords returns what the API serves for key over r.
func demoRecords(key QueryKey, r window.Range) []api.Record {
	recs, ok := demo.Records(key.GroupID, r.From, r.To, key.aggregation(), key.Category)
	if !ok {
		panic("unknown demo group " + key.GroupID)
	}
	return recs
}

// openTemp opens a new store in a fresh directory.
func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "state", FileName), Options{MaxBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// save stores the demo records of each range as a window of key, fetched at.
func save(t testing.TB, s *Store, key QueryKey, at time.Time, rs ...window.Range) {
	t.Helper()
	for _, r := range rs {
		if err := s.SaveWindow(key, r, at, api.DateOf(at), demoRecords(key, r)); err != nil {
			t.Fatal(err)
		}
	}
}

// sameRecords fails unless got and want are the same records in order.
func sameRecords(tb testing.TB, got, want []api.Record) {
	tb.Helper()
	if i := api.FirstDifference(got, want); i >= 0 {
		tb.Fatalf("%d records, want %d; they differ from record %d", len(got), len(want), i)
	}
}

func isSetAside(err error) (*SetAsideError, bool) {
	var sa *SetAsideError
	ok := errors.As(err, &sa)
	return sa, ok
}
