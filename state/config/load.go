package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// LoadOptions is what Load reads besides the config file. The environment
// and the user config directory are passed in so tests and callers control
// them.
type LoadOptions struct {
	// Flags holds the flags RegisterFlags added, parsed; only those the
	// user set override the file and the environment. Nil means no flags.
	Flags *pflag.FlagSet
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// UserConfigDir finds the user's config directory; nil means
	// os.UserConfigDir.
	UserConfigDir func() (string, error)
	// DeferGroup leaves --group to the caller, who resolves it with
	// ReplaceGroups against groups the file does not hold (the demo's).
	DeferGroup bool
	// Today is the day a rolling period (LAST_30_DAYS) counts back from;
	// nil means the real one (the demo has a clock of its own).
	Today func() api.Date
}

// Load builds the Settings: defaults, then the config file, then the
// environment, then flags, each overriding the one before, and validates
// the result. The file is --config, else $USAGETOP_CONFIG, else
// UserConfigDir/usagetop/config.toml; a file named explicitly must exist,
// the default one may be absent. Reading stops when ctx is cancelled. On
// failure the error joins one *Error per problem (see Errors); no error
// holds a secret.
func Load(ctx context.Context, opts LoadOptions) (*Settings, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	userDir := opts.UserConfigDir
	if userDir == nil {
		userDir = os.UserConfigDir
	}
	l := &loader{s: &Settings{sources: map[string]Source{}, getenv: getenv}, todayFn: opts.Today}
	l.applyDefaults()
	if dir, err := userDir(); err == nil && dir != "" {
		l.s.DefaultPath = filepath.Join(dir, "usagetop", "config.toml")
	}

	path := ""
	if fl := lookupFlag(opts.Flags, configFlag); fl != nil && fl.Changed {
		path = fl.Value.String()
	}
	doc := l.readFile(ctx, path, getenv)
	if err := ctx.Err(); err != nil {
		return nil, err // interrupted, not misconfigured
	}
	if doc != nil {
		l.applyFile(doc)
	}
	l.applyEnv(getenv)
	l.applyFlags(opts.Flags, opts.DeferGroup)
	l.finish()
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	return l.s, nil
}

// ResolveSecret returns the client secret from the configured source,
// reading the environment Load was given. It may run the secret command.
// Errors never hold the secret or the command's output.
func (s *Settings) ResolveSecret(ctx context.Context) (string, error) {
	getenv := s.getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	return s.Auth.Secret.Resolve(ctx, getenv)
}

// raw is one layer's value for a setting that is resolved from several
// keys at once (the group, the period or range), with where it came from.
type raw struct {
	v   string
	src Source
	set bool
}

// loader accumulates settings and problems layer by layer.
type loader struct {
	s       *Settings
	todayFn func() api.Date // nil: the real day
	errs    []error
	// doc is the file being applied, for the lines of array entries.
	doc *document
	// group is the latest layer's group selector (name or id).
	group raw
	// window is this layer's period, from and to.
	window [3]raw
	// secretKeys are the file keys that configure the secret, for the
	// "only one of" check.
	secretKeys []string
}

func (l *loader) bad(src Source, key, format string, args ...any) {
	l.errs = append(l.errs, &Error{Source: src, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) from(key string, src Source) { l.s.sources[key] = src }

// layer applies one layer: value returns each key's value in it, if set.
func (l *loader) layer(value func(k *spec) (v any, src Source, ok bool)) {
	l.window = [3]raw{}
	for i := range keys {
		k := &keys[i]
		if k.apply == nil {
			continue
		}
		if v, src, ok := value(k); ok {
			k.apply(l, k, src, v)
		}
	}
	l.applyWindow()
}

// applyDefaults applies every key's built-in default, read as a flag would
// be, so a default is written once, in the table.
func (l *loader) applyDefaults() {
	l.layer(func(k *spec) (any, Source, bool) {
		if k.Default == "" {
			return nil, Source{}, false
		}
		v, msg := k.parseText(k.Default)
		if msg != "" {
			panic("config: default of " + k.Name + ": " + msg)
		}
		return v, Source{}, true
	})
}

// applyEnv applies the keys' environment variables that are set and not
// empty. A true-or-false variable means true whatever its value, as
// no-color.org has it for NO_COLOR.
func (l *loader) applyEnv(getenv func(string) string) {
	l.layer(func(k *spec) (any, Source, bool) {
		if k.Env == "" {
			return nil, Source{}, false
		}
		text := getenv(k.Env)
		src := Source{Kind: SourceEnv, Name: k.Env}
		if text == "" {
			return nil, src, false
		}
		if k.Type == typeBool {
			return true, src, true
		}
		v, msg := k.parseText(text)
		if msg != "" {
			l.bad(src, k.Name, "%s", msg)
			return nil, src, false
		}
		return v, src, true
	})
}

// applyFlags applies the flags the user set; a flag's value was read when
// it was parsed, and a bad one is reported here with every other problem.
func (l *loader) applyFlags(fs *pflag.FlagSet, deferGroup bool) {
	l.layer(func(k *spec) (any, Source, bool) {
		fl := lookupFlag(fs, k.Flag)
		src := Source{Kind: SourceFlag, Name: k.Flag}
		if fl == nil || !fl.Changed || deferGroup && k.Name == "default_group" {
			return nil, src, false
		}
		v, msg := flagResult(k, fl)
		if msg != "" {
			l.bad(src, k.Name, "%s", msg)
			return nil, src, false
		}
		return v, src, true
	})
}

// readFile finds and reads the config file. It returns nil when there is
// none to read or it could not be read (the problem is recorded).
func (l *loader) readFile(ctx context.Context, flagPath string, getenv func(string) string) *document {
	path, named := flagPath, Source{Kind: SourceFlag, Name: configFlag}
	if path == "" {
		path, named = getenv(envPath), Source{Kind: SourceEnv, Name: envPath}
	}
	explicit := path != ""
	if !explicit {
		if l.s.DefaultPath == "" {
			l.s.pathNote = "none (the user config directory is unknown; set " + envPath + " or pass --config)"
			return nil
		}
		path, named = l.s.DefaultPath, Source{}
	}
	doc, err := readDocument(ctx, path)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		l.s.pathNote = "none (" + path + " does not exist; using defaults)"
		return nil
	case errors.Is(err, fs.ErrNotExist):
		l.bad(named, "", "config file %s does not exist; check the path, or run without it to use %s", path, l.defaultPathOr("the defaults"))
		return nil
	default:
		if ces := Errors(err); len(ces) > 0 {
			for _, ce := range ces {
				l.errs = append(l.errs, ce)
			}
		} else {
			l.bad(Source{Kind: SourceFile, Name: path}, "", "cannot read the config file: %v", pathErr(err))
		}
		return nil
	}
	l.s.Path = path
	switch named.Kind {
	case SourceFlag:
		l.s.pathNote = path + " (from --config)"
	case SourceEnv:
		l.s.pathNote = path + " (from $" + envPath + ")"
	default:
		l.s.pathNote = path + " (default location)"
	}
	return doc
}

func (l *loader) defaultPathOr(alt string) string {
	if l.s.DefaultPath != "" {
		return l.s.DefaultPath
	}
	return alt
}

// pathErr drops the Op and Path of a *fs.PathError, which the caller
// already names.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// applyFile checks who may read and write the file, then applies what it
// sets over the defaults, then the checks that span keys.
func (l *loader) applyFile(doc *document) {
	l.doc = doc
	l.errs = append(l.errs, checkMode(doc)...)
	l.layer(func(k *spec) (any, Source, bool) {
		v, ok := doc.values[k.Name]
		return v, doc.source(k.Name), ok
	})
	if len(l.secretKeys) > 1 {
		l.bad(doc.source(l.secretKeys[1]), l.secretKeys[1], "set only one of %s; they are different places to get the same secret", strings.Join(l.secretKeys, ", "))
	}
	if a := l.s.Anomaly; a.MinHistoryDays > a.LookbackDays {
		key := "anomaly.min_history_days"
		if _, set := doc.values[key]; !set {
			key = "anomaly.lookback_days"
		}
		l.bad(doc.source(key), key, "min_history_days (%d) cannot exceed lookback_days (%d): a day needs that much of the history the baseline looks at", a.MinHistoryDays, a.LookbackDays)
	}
	l.doc = nil
}

// today is the day rolling periods count back from.
func (l *loader) today() api.Date {
	if l.todayFn != nil {
		return l.todayFn()
	}
	return api.DateOf(time.Now())
}

// applyWindow applies one layer's period or custom range. A layer that sets
// either replaces the whole window of the layers below it.
func (l *loader) applyWindow() {
	period, from, to := l.window[0], l.window[1], l.window[2]
	q := &l.s.Query
	switch {
	case !period.set && !from.set && !to.set:
		return
	case period.set && (from.set || to.set):
		other := from
		if !other.set {
			other = to
		}
		l.bad(other.src, "query.from", "a period (%s, %s) and a from/to range cannot be used together; give one or the other", period.v, period.src)
		return
	case period.set:
		if r, ok := state.ParseRollingPeriod(period.v); ok {
			// A rolling preset is a custom range to the API.
			q.Period = ""
			q.From, q.To = r.Bounds(l.today())
			l.from("query.period", period.src)
			delete(l.s.sources, "query.range")
			delete(l.s.sources, "query.to")
			return
		}
		p, err := api.ParseTimePeriod(strings.TrimSpace(period.v))
		if err != nil {
			l.bad(period.src, "query.period", "%s", reason(err))
			return
		}
		q.Period, q.From, q.To = p, 0, 0
		l.from("query.period", period.src)
		delete(l.s.sources, "query.range")
		delete(l.s.sources, "query.to")
		return
	case !from.set:
		l.bad(to.src, "query.to", "a custom range needs a start date as well (from, YYYY-MM-DD)")
		return
	case !to.set:
		l.bad(from.src, "query.from", "a custom range needs an end date as well (to, YYYY-MM-DD)")
		return
	}
	start, err1 := api.ParseDate(strings.TrimSpace(from.v))
	end, err2 := api.ParseDate(strings.TrimSpace(to.v))
	if err1 != nil {
		l.bad(from.src, "query.from", "%s", reason(err1))
	}
	if err2 != nil {
		l.bad(to.src, "query.to", "%s", reason(err2))
	}
	if err1 != nil || err2 != nil {
		return
	}
	if err := api.ValidateRange(start, end); err != nil {
		l.bad(to.src, "query.to", "%s", reason(err))
		return
	}
	q.Period, q.From, q.To = "", start, end
	l.from("query.range", from.src)
	l.from("query.to", to.src)
	delete(l.s.sources, "query.period")
}

// finish resolves what depends on several layers: the selected group.
func (l *loader) finish() {
	s := l.s
	if !l.group.set {
		if len(s.Groups) > 0 {
			s.Query.Group = s.Groups[0]
			l.from("group", s.sources["groups[0]"])
		}
		return
	}
	g, err := s.FindGroup(l.group.v)
	if err != nil {
		key := "group"
		if l.group.src.Kind == SourceFile {
			key = "default_group"
		}
		l.bad(l.group.src, key, "%s", err.Error())
		return
	}
	s.Query.Group = g
	l.from("group", l.group.src)
}

// reason returns an api.ValidationError's reason without the wire field
// name, which means nothing in a config file.
func reason(err error) string {
	var ve *api.ValidationError
	if errors.As(err, &ve) {
		return ve.Reason
	}
	return err.Error()
}
