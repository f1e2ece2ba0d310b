package export

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckTarget(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.csv")
	if err := os.WriteFile(existing, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		path  string
		force bool
		want  string // "" when the target is fine
	}{
		{"new file", filepath.Join(dir, "new.csv"), false, ""},
		{"existing without force", existing, false, "--force"},
		{"existing with force", existing, true, ""},
		{"a directory", dir, true, "is a directory"},
		{"missing directory", filepath.Join(dir, "no", "out.csv"), false, "does not exist"},
		{"parent is a file", filepath.Join(notDir, "out.csv"), false, "not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckTarget(tc.path, tc.force)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	if err := CheckTarget(existing, false); !errors.Is(err, ErrExists) {
		t.Errorf("existing file: %v does not wrap ErrExists", err)
	}
	assertNoTemp(t, dir)
	if _, err := os.Stat(filepath.Join(dir, "new.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Error("checking a target created it")
	}
}
