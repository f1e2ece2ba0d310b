package export

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is returned by WriteFileAtomic when the target exists and
// force is false.
var ErrExists = errors.New("file exists")

// WriteFileAtomic writes a new file at path through write: the data goes to
// a temporary file in the same directory, is synced, then renamed into
// place, so a reader never sees half a file and a failure leaves nothing
// behind. An existing file is replaced only when force is true; otherwise
// the error wraps ErrExists and says how to overwrite.
func WriteFileAtomic(path string, force bool, write func(io.Writer) error) (err error) {
	if !force {
		if _, statErr := os.Lstat(path); statErr == nil {
			return fmt.Errorf("%s: %w; choose another name or pass --force to replace it", path, ErrExists)
		} else if !errors.Is(statErr, fs.ErrNotExist) {
			return fmt.Errorf("cannot check %s: %w", path, statErr)
		}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
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
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
