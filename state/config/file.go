package config

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/usagetop/usagetop/state"
)

// maxFileSize caps the config file: a real one is a few KB, and a path
// pointing at a huge file must not be read whole.
const maxFileSize = 1 << 20

// readDocument opens, reads and decodes the config file at path.
func readDocument(ctx context.Context, path string) (*document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Stat the open file, not the path, so the mode checked is the mode of
	// the bytes read.
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a config file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, &Error{Source: Source{Kind: SourceFile, Name: path}, Msg: fmt.Sprintf("file is larger than %d bytes; is this the right file?", maxFileSize)}
	}
	doc, err := decode(path, data)
	if err != nil {
		return nil, err
	}
	doc.mode = info.Mode()
	return doc, nil
}

// checkMode refuses a file that holds a secret other users can read, as
// ssh refuses such a private key.
func checkMode(doc *document) []error {
	if runtime.GOOS == "windows" {
		return nil
	}
	perm := doc.mode.Perm()
	var errs []error
	for _, k := range keys {
		v, set := doc.values[k.Name]
		if k.Secret && set && v != "" && perm&0o077 != 0 {
			errs = append(errs, &Error{
				Source: doc.source(k.Name),
				Key:    k.Name,
				Msg: fmt.Sprintf("this file holds an inline client secret and other users can read it (mode %04o); "+
					"run: chmod 600 %s (or move the secret out of the file with secret_env or secret_command)",
					perm, state.ShellQuote(doc.path)),
			})
		}
	}
	return errs
}
