package snapshot

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenCreatesAPrivateStoreThatPersists(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "usagetop")
	path := filepath.Join(dir, FileName)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 9, 12, 0, 0, time.UTC)
	save(t, s, dailyKey, at, rng("2026-11-01", "2026-11-30"))
	for _, p := range []string{dir, path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700 | os.ModeDir
		}
		if fi.Mode() != want {
			t.Errorf("%s has mode %v, want %v: the store holds billing data", p, fi.Mode(), want)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.Load(dailyKey, rng("2026-11-01", "2026-11-30"))
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, snap.Records, demoRecords(dailyKey, rng("2026-11-01", "2026-11-30")))
	if !snap.Complete() || !snap.Oldest().Equal(at) {
		t.Errorf("missing %v, oldest %v; want nothing missing, fetched at %v", snap.Missing, snap.Oldest(), at)
	}
}

func TestOpenTightensALooseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fi, _ := os.Stat(path); fi.Mode() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode())
	}
}

func TestDefaultPathFollowsXDG(t *testing.T) {
	tests := []struct {
		name, state, home, want string
	}{
		{"XDG_STATE_HOME set", "/xdg/state", "/home/u", "/xdg/state/usagetop/snapshots.db"},
		{"unset: ~/.local/state", "", "/home/u", "/home/u/.local/state/usagetop/snapshots.db"},
		{"relative: ignored, as the spec says", "rel/state", "/home/u", "/home/u/.local/state/usagetop/snapshots.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("XDG_STATE_HOME", tt.state)
			t.Setenv("HOME", tt.home)
			got, err := DefaultPath()
			if err != nil || got != tt.want {
				t.Errorf("DefaultPath() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// writeForeign makes an SQLite database of some other program.
func writeForeign(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')"); err != nil {
		t.Fatal(err)
	}
}

// writtenStore saves half a year to a new store at path, closes it and
// returns the file's bytes.
func writtenStore(t *testing.T, path string) []byte {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	save(t, s, dailyKey, time.Now(), rng("2026-01-01", "2026-06-30"))
	s.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestUnusableFilesAreSetAsideNeverDeleted(t *testing.T) {
	tests := []struct {
		name   string
		make   func(t *testing.T, path string)
		reason string
	}{
		{"a text file", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("these are my notes, not a database\n"), 0o600)
		}, "not an SQLite database"},
		{"another program's database", writeForeign, "another program"},
		{"a store with its pages overwritten", func(t *testing.T, path string) {
			data := writtenStore(t, path)
			for i := 4096 + 200; i < len(data); i += 3 {
				data[i] ^= 0x5a
			}
			os.WriteFile(path, data, 0o600)
		}, "damaged"},
		{"a store cut short", func(t *testing.T, path string) {
			data := writtenStore(t, path)
			os.WriteFile(path, data[:len(data)/3], 0o600)
		}, "damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), FileName)
			tt.make(t, path)
			before, _ := os.ReadFile(path)
			_, err := Open(path, Options{})
			sa, ok := isSetAside(err)
			if !ok {
				t.Fatalf("Open = %v, want a *SetAsideError", err)
			}
			if !strings.Contains(sa.Reason, tt.reason) || !strings.Contains(err.Error(), sa.MovedTo) {
				t.Errorf("error %q: want the reason (%q) and where the file went", err, tt.reason)
			}
			moved, rerr := os.ReadFile(sa.MovedTo)
			if rerr != nil || string(moved) != string(before) {
				t.Fatalf("the old file is not intact at %s: %v", sa.MovedTo, rerr)
			}
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatalf("opening again after setting aside: %v", err)
			}
			defer s.Close()
			save(t, s, dailyKey, time.Now(), rng("2026-11-01", "2026-11-02"))
		})
	}
}

func TestANewerStoreIsLeftAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(path, Options{})
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "upgrade usagetop") {
		t.Fatalf("Open = %v, want ErrNewerSchema saying what to do", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the newer store was moved: %v", err)
	}
}

func TestAStoreAtAnOlderSchemaIsMigrated(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	// Version 0 of a store is an empty file that is already ours.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != schemaVersion {
		t.Fatalf("schema %d (%v), want %d", v, err, schemaVersion)
	}
	save(t, s, dailyKey, time.Now(), rng("2026-11-01", "2026-11-02"))
}
