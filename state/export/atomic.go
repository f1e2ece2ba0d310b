package export

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrExists is returned by WriteFileAtomic when the target exists and
// force is false.
var ErrExists = errors.New("file exists")

// tempMarker names usagetop's temporary files: ".out.csv.usagetop-tmp-123"
// beside out.csv, recognisable as ours and as belonging to that target.
// Files of an earlier version were ".out.csv.tmp-123" (legacyTempMarker).
const (
	tempMarker       = ".usagetop-tmp-"
	legacyTempMarker = ".tmp-"
)

// staleTempAge is how old a temporary file must be before it is taken for
// the leftover of a killed export rather than one being written now.
const staleTempAge = time.Minute

// tempPattern is the os.CreateTemp pattern for a temporary file of path.
func tempPattern(path string) string { return "." + filepath.Base(path) + tempMarker + "*" }

// WriteFileAtomic writes a new file at path through write: the data goes to
// a temporary file in the same directory, is synced, then renamed into
// place, so a reader never sees half a file and a failure leaves nothing
// behind. An existing file is replaced only when force is true; otherwise
// the error wraps ErrExists and says how to overwrite. Temporary files of
// the same target that a killed export left behind (older than a minute,
// ours) are removed first. Errors name path, never the temporary file.
func WriteFileAtomic(path string, force bool, write func(io.Writer) error) (err error) {
	if !force {
		if _, statErr := os.Lstat(path); statErr == nil {
			return fmt.Errorf("%s: %w; choose another name or pass --force to replace it", path, ErrExists)
		} else if !errors.Is(statErr, fs.ErrNotExist) {
			return fmt.Errorf("cannot check %s: %w", path, statErr)
		}
	}
	dir := filepath.Dir(path)
	removeStaleTemps(path, time.Now())
	tmp, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, withoutPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// failed names the target: the temporary file's name would only
	// confuse (a full disk is the disk of path).
	failed := func(err error) error { return fmt.Errorf("cannot write %s: %w", path, withoutPath(err)) }
	if err = write(tmp); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path == tmp.Name() {
			return failed(err)
		}
		return err
	}
	if err = tmp.Sync(); err != nil {
		return failed(err)
	}
	if err = tmp.Close(); err != nil {
		return failed(err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return failed(err)
	}
	if !force {
		// Link fails if path appeared since the check above, closing the race
		// a plain rename would lose; fall back to rename where links are not supported.
		if err = os.Link(tmp.Name(), path); err == nil {
			os.Remove(tmp.Name())
			return nil
		}
		if errors.Is(err, fs.ErrExist) {
			err = fmt.Errorf("%s: %w; choose another name or pass --force to replace it", path, ErrExists)
			return err
		}
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return failed(err)
	}
	return nil
}

// pathErr is what withoutPath unwraps to: the cause alone, still matching
// errors.Is (a full disk stays syscall.ENOSPC).
type pathErr struct {
	op  string
	err error
}

func (e *pathErr) Error() string { return e.op + ": " + e.err.Error() }
func (e *pathErr) Unwrap() error { return e.err }

// withoutPath drops the file name from an *fs.PathError or *os.LinkError
// (the temporary file's), keeping the operation and the cause.
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &pathErr{op: pe.Op, err: pe.Err}
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return &pathErr{op: le.Op, err: le.Err}
	}
	return err
}

// removeStaleTemps removes the temporary files of path that an export
// killed mid-write left behind: only names of the exact pattern (ours or
// the earlier version's, a marker then digits), regular files, older than
// staleTempAge and owned by this user. Anything else is left alone, and a
// failure to remove one is not an error: it is only tidying.
func removeStaleTemps(path string, now time.Time) {
	dir, prefix := filepath.Dir(path), "."+filepath.Base(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !isTempName(name, prefix) || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) < staleTempAge || !ownedByUs(info) {
			continue
		}
		os.Remove(filepath.Join(dir, name))
	}
}

// isTempName reports whether name is prefix, a temp marker, then digits
// (os.CreateTemp's random part).
func isTempName(name, prefix string) bool {
	for _, marker := range []string{tempMarker, legacyTempMarker} {
		rest, ok := strings.CutPrefix(name, prefix+marker)
		if ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			return true
		}
	}
	return false
}
