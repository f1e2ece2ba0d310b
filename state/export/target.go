package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CheckTarget says, before any data is fetched, whether WriteFileAtomic(path,
// force, ...) can succeed, so a long export does not fail at its very end on
// a mistyped --output. It refuses an existing file without force (wrapping
// ErrExists), a directory, and a directory that is missing or cannot be
// written in; each error says what to do. It creates nothing that it
// leaves behind.
func CheckTarget(path string, force bool) error {
	info, err := os.Lstat(path)
	switch {
	case err == nil && info.IsDir():
		return fmt.Errorf("%s is a directory; give a file name, such as %s", path, filepath.Join(path, "usage.csv"))
	case err == nil && !force:
		return fmt.Errorf("%s: %w; choose another name or pass --force to replace it", path, ErrExists)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot check %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	switch info, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot write %s: the directory %s does not exist; create it first", path, dir)
	case err != nil:
		return fmt.Errorf("cannot write %s: %w", path, err)
	case !info.IsDir():
		return fmt.Errorf("cannot write %s: %s is not a directory", path, dir)
	}
	// Only trying tells whether the directory is writable (permissions,
	// ACLs, a read-only mount); the probe is the same kind of temporary
	// file WriteFileAtomic creates.
	probe, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the probe's random name would only confuse
		}
		return fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}
