package export

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestWriteFileAtomicRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := WriteFileAtomic(path, false, writeString("first")); err != nil {
		t.Fatal(err)
	}
	err := WriteFileAtomic(path, false, writeString("second"))
	if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("second write error = %v, want ErrExists mentioning --force", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Errorf("existing file changed to %q", b)
	}
	if err := WriteFileAtomic(path, true, writeString("third")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "third" {
		t.Errorf("forced write left %q", b)
	}
	assertNoTemp(t, dir)
}

func TestWriteFileAtomicFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	boom := errors.New("boom")
	err := WriteFileAtomic(path, false, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed write left %s behind", path)
	}
	assertNoTemp(t, dir)
}

func TestWriteFileAtomicMissingDir(t *testing.T) {
	err := WriteFileAtomic(filepath.Join(t.TempDir(), "no", "such", "out.csv"), false, writeString("x"))
	if err == nil || !strings.Contains(err.Error(), "cannot") {
		t.Errorf("error = %v, want a message that says the file cannot be written", err)
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// TestWriteFileAtomicDiskFullNamesTheTarget: a full disk is reported for
// the file the user asked for, not the temporary file (issue 14.11).
func TestWriteFileAtomicDiskFullNamesTheTarget(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	var tmp string
	err := WriteFileAtomic(path, false, func(w io.Writer) error {
		tmp = w.(*os.File).Name()
		return &fs.PathError{Op: "write", Path: tmp, Err: syscall.ENOSPC}
	})
	if err == nil || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), filepath.Base(tmp)) ||
		!errors.Is(err, syscall.ENOSPC) {
		t.Errorf("error %v; want it to name %s and not %s, and be ENOSPC", err, path, tmp)
	}
	assertNoTemp(t, dir)
}

// TestWriteFileAtomicRemovesStaleTemps: the temporary files an export
// killed mid-write left for the same target are removed by the next
// export; anything that is not exactly that, or is fresh, stays (issue
// 14.7).
func TestWriteFileAtomicRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * staleTempAge)
	files := map[string]bool{ // name: removed
		".out.csv.usagetop-tmp-123":   true,
		".out.csv.tmp-456":            true, // an earlier version's name
		".out.csv.usagetop-tmp-12x":   false,
		".out.csv.usagetop-tmp-":      false,
		".other.csv.usagetop-tmp-1":   false,
		"out.csv.usagetop-tmp-7":      false,
		".out.csv.usagetop-tmp-9.bak": false,
	}
	for name := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, old, old)
	}
	fresh := filepath.Join(dir, ".out.csv.usagetop-tmp-789") // another export, writing now
	os.WriteFile(fresh, []byte("x"), 0o600)
	files[filepath.Base(fresh)] = false
	sub := filepath.Join(dir, ".out.csv.usagetop-tmp-55")
	os.Mkdir(sub, 0o700)
	os.Chtimes(sub, old, old)
	files[filepath.Base(sub)] = false

	if err := WriteFileAtomic(filepath.Join(dir, "out.csv"), false, writeString("data")); err != nil {
		t.Fatal(err)
	}
	for name, removed := range files {
		_, err := os.Lstat(filepath.Join(dir, name))
		if gone := errors.Is(err, fs.ErrNotExist); gone != removed {
			t.Errorf("%s: removed %v, want %v", name, gone, removed)
		}
	}
}
