package config

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"syscall"

	"github.com/usagetop/usagetop/state"
)

// maxFileSize caps the config file: a real one is a few KB, and a path
// pointing at a huge file must not be read whole.
const maxFileSize = 1 << 20

// utf8BOM is the byte-order mark some Windows editors put first in a UTF-8
// file; TOML does not allow it, so it is dropped before decoding.
var utf8BOM = []byte("\xef\xbb\xbf")

// readDocument opens, reads and decodes the config file at path. Only a
// regular file is read: opening a named pipe would wait for a writer
// forever, and a device may never end. Reading stops when ctx is done.
func readDocument(ctx context.Context, path string) (*document, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regularFile(path, info); err != nil {
		return nil, err
	}
	// O_NONBLOCK: if the path became a pipe since the Stat, the open still
	// returns at once, and the Stat of the open file below refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Stat the open file, not the path, so the mode checked is the mode of
	// the bytes read.
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regularFile(path, info); err != nil {
		return nil, err
	}
	data, err := readCapped(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, &Error{Source: Source{Kind: SourceFile, Name: path}, Msg: fmt.Sprintf("file is larger than %d bytes; is this the right file?", maxFileSize)}
	}
	doc, err := decode(path, bytes.TrimPrefix(data, utf8BOM))
	if err != nil {
		return nil, err
	}
	doc.mode = info.Mode()
	return doc, nil
}

// regularFile refuses anything but a regular file, saying what it is.
func regularFile(path string, info fs.FileInfo) error {
	what := ""
	switch m := info.Mode(); {
	case m.IsRegular():
		return nil
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	default:
		what = "not a regular file"
	}
	return &Error{Source: Source{Kind: SourceFile, Name: path},
		Msg: "is " + what + ", not a config file; name a regular TOML file with --config or $" + envPath}
}

// readCapped reads up to one byte past maxFileSize, giving up when ctx is
// done: a file on a hung network mount must not outlast Ctrl-C.
func readCapped(ctx context.Context, f *os.File) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// checkMode refuses a file that holds a secret other users can read, as
// ssh refuses such a private key, and a file that other users can write
// when it sets a key that decides what runs or where credentials are sent.
func checkMode(doc *document) []error {
	if runtime.GOOS == "windows" {
		return nil
	}
	perm := doc.mode.Perm()
	var errs []error
	var guarded []string
	for _, k := range keys {
		v, set := doc.values[k.Name]
		if !set {
			continue
		}
		if k.Secret && v != "" && perm&0o077 != 0 {
			errs = append(errs, &Error{
				Source: doc.source(k.Name),
				Key:    k.Name,
				Msg: fmt.Sprintf("this file holds an inline client secret and other users can read it (mode %04o); "+
					"run: chmod 600 %s (or move the secret out of the file with secret_env or secret_command)",
					perm, state.ShellQuote(doc.path)),
			})
		}
		if k.Guarded {
			guarded = append(guarded, k.Name)
		}
	}
	if len(guarded) > 0 && perm&0o022 != 0 {
		errs = append(errs, &Error{
			Source: doc.source(guarded[0]),
			Key:    guarded[0],
			Msg: fmt.Sprintf("other users can write this file (mode %04o), and it sets %s, which must be yours alone "+
				"(they decide what runs, where credentials are sent or who may connect); run: chmod go-w %s",
				perm, strings.Join(guarded, ", "), state.ShellQuote(doc.path)),
		})
	}
	return errs
}
