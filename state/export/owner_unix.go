//go:build unix

package export

import (
	"io/fs"
	"os"
	"syscall"
)

// ownedByUs reports whether the file info describes is owned by this
// process's user.
func ownedByUs(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
