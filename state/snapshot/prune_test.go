package snapshot

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/usagetop/usagetop/api"
)

func TestPruneDropsTheOldestWindowsFirst(t *testing.T) {
	s := openTemp(t)
	months := []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10"}
	for i, m := range months {
		// January fetched first, October last.
		save(t, s, dailyKey, monday.Add(time.Duration(i)*time.Hour), rng("2026-"+m+"-01", "2026-"+m+"-28"))
	}
	full, err := s.Size()
	if err != nil {
		t.Fatal(err)
	}
	removed, err := s.Prune(full / 2)
	if err != nil {
		t.Fatal(err)
	}
	size, _ := s.Size()
	if removed == 0 || size > full/2 {
		t.Fatalf("removed %d windows, size %d -> %d; want at most %d", removed, full, size, full/2)
	}
	snap, err := s.Load(dailyKey, rng("2026-01-01", "2026-10-28"))
	if err != nil {
		t.Fatal(err)
	}
	// What is left is the newest windows, whole.
	if len(snap.Windows) != len(months)-removed || snap.Windows[0].Range.From != day("2026-"+months[removed]+"-01") {
		t.Fatalf("after removing %d: windows %+v", removed, snap.Windows)
	}
	var want []api.Record
	for _, m := range months[removed:] {
		want = append(want, demoRecords(dailyKey, rng("2026-"+m+"-01", "2026-"+m+"-28"))...)
	}
	sameRecords(t, snap.Records, want)
}

func TestSaveKeepsTheStoreUnderItsLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	const limit = 256 << 10
	s, err := Open(path, Options{MaxBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 12 {
		from := rng("2026-01-01", "2026-01-01").From.AddDays(30 * i)
		save(t, s, dailyKey, monday.Add(time.Duration(i)*time.Hour), rng(from.String(), from.AddDays(29).String()))
	}
	if size, _ := s.Size(); size > limit {
		t.Fatalf("size %d over the %d limit", size, limit)
	}
	snap, _ := s.Load(dailyKey, rng("2026-01-01", "2026-12-31"))
	if len(snap.Windows) == 0 || snap.Windows[len(snap.Windows)-1].Range.From != day("2026-01-01").AddDays(330) {
		t.Fatalf("the newest window was pruned: %+v", snap.Windows)
	}
}
