package config

import (
	"errors"
	"strconv"
)

// SourceKind says which layer a setting came from.
type SourceKind uint8

// Layers in order of precedence, lowest first.
const (
	SourceDefault SourceKind = iota
	SourceFile
	SourceEnv
	SourceFlag
)

// String names the layer.
func (k SourceKind) String() string {
	switch k {
	case SourceFile:
		return "file"
	case SourceEnv:
		return "env"
	case SourceFlag:
		return "flag"
	}
	return "default"
}

// Source is where one setting came from: the built-in default, a line of
// the config file, an environment variable or a flag.
type Source struct {
	Kind SourceKind
	// Name is the file path, the variable name or the flag name (no dashes).
	Name string
	// Line is the config file line, 1-based; 0 when unknown.
	Line int
}

// String prints the source the way config check shows it:
// "default", "/path/config.toml:12", "env TWILIO_CLIENT_ID", "flag --group".
func (s Source) String() string {
	switch s.Kind {
	case SourceFile:
		if s.Line > 0 {
			return s.Name + ":" + strconv.Itoa(s.Line)
		}
		return s.Name
	case SourceEnv:
		return "env " + s.Name
	case SourceFlag:
		return "flag --" + s.Name
	}
	return "default"
}

// Error is one problem with the configuration. It names where the bad value
// came from (file and line, variable or flag), the setting's key, and says
// what is wrong and what to do. It never holds a secret.
type Error struct {
	Source Source
	// Key is the setting, e.g. "api.page_size"; empty for whole-file problems.
	Key string
	Msg string
}

func (e *Error) Error() string { return show(e.text()) }

func (e *Error) text() string {
	prefix := e.Source.String()
	switch {
	case e.Source.Kind == SourceDefault && e.Key == "":
		return "config: " + e.Msg
	case e.Source.Kind == SourceDefault:
		return e.Key + ": " + e.Msg
	case e.Key == "" || e.Source.Kind == SourceFlag || e.Source.Kind == SourceEnv:
		return prefix + ": " + e.Msg
	}
	return prefix + ": " + e.Key + ": " + e.Msg
}

// Errors returns every *Error inside err (as joined by Load), so a caller
// can list or inspect them one by one.
func Errors(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if ce, ok := e.(*Error); ok {
			out = append(out, ce)
			return
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		walk(errors.Unwrap(e))
	}
	walk(err)
	return out
}
