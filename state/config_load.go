package state

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/shopspring/decimal"

	"github.com/usagetop/usagetop/api"
)

// SettingsLoadOptions is what LoadSettings reads besides the config file.
// The environment and the user config directory are passed in so tests and
// callers control them.
type SettingsLoadOptions struct {
	// ConfigPath is --config; empty when the flag was not given.
	ConfigPath string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// UserConfigDir finds the user's config directory; nil means
	// os.UserConfigDir.
	UserConfigDir func() (string, error)
	// Flags holds only the flags the user set, by flag name without dashes
	// (group, period, from, to, category, aggregation, base-url, token-url,
	// page-size, no-color, ascii). Boolean flags hold "true" or "false".
	// "config" and "demo" are accepted and ignored.
	Flags map[string]string
}

// configFlagKeys maps each flag LoadSettings understands to its setting.
var configFlagKeys = map[string]string{
	"group":       "group",
	"period":      "query.period",
	"from":        "query.from",
	"to":          "query.to",
	"category":    "query.category",
	"aggregation": "query.aggregation",
	"base-url":    "api.base_url",
	"token-url":   "api.token_url",
	"page-size":   "api.page_size",
	"no-color":    "ui.no_color",
	"ascii":       "ui.ascii",
	"config":      "",
	"demo":        "",
}

// LoadSettings builds the Settings: defaults, then the config file, then
// the environment, then flags, each overriding the one before, and
// validates the result. The file is --config, else $USAGETOP_CONFIG, else
// UserConfigDir/usagetop/config.toml; a file named explicitly must exist,
// the default one may be absent. On failure the error joins one
// *ConfigError per problem (see ConfigErrors); no error holds a secret.
func LoadSettings(opts SettingsLoadOptions) (*Settings, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	userDir := opts.UserConfigDir
	if userDir == nil {
		userDir = os.UserConfigDir
	}
	l := &configLoader{s: settingsDefaults()}
	l.s.getenv = getenv
	if dir, err := userDir(); err == nil && dir != "" {
		l.s.DefaultPath = filepath.Join(dir, "usagetop", "config.toml")
	}

	if doc := l.readFile(opts.ConfigPath, getenv); doc != nil {
		l.applyFile(doc)
	}
	l.applyEnv(getenv)
	l.applyFlags(opts.Flags)
	l.finish()
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	return l.s, nil
}

// ResolveSecret returns the client secret from the configured source,
// reading the environment LoadSettings was given. It may run the secret
// command. Errors never hold the secret or the command's output.
func (s *Settings) ResolveSecret(ctx context.Context) (string, error) {
	getenv := s.getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	return s.Auth.Secret.Resolve(ctx, getenv)
}

// configRaw is one layer's text for a setting, with where it came from.
type configRaw struct {
	v   string
	src Source
	set bool
}

// configLoader accumulates settings and problems layer by layer.
type configLoader struct {
	s    *Settings
	errs []error
	// group is the latest layer's group selector (name or id).
	group configRaw
	// secretKeys are the file keys that configure the secret, for the
	// "only one of" check.
	secretKeys []string
}

func (l *configLoader) bad(src Source, key, format string, args ...any) {
	l.errs = append(l.errs, &ConfigError{Source: src, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (l *configLoader) from(key string, src Source) { l.s.sources[key] = src }

// readFile finds and reads the config file. It returns nil when there is
// none to read or it could not be read (the problem is recorded).
func (l *configLoader) readFile(flagPath string, getenv func(string) string) *configDoc {
	path, named := flagPath, Source{Kind: SourceFlag, Name: "config"}
	if path == "" {
		path, named = getenv(ConfigEnvPath), Source{Kind: SourceEnv, Name: ConfigEnvPath}
	}
	explicit := path != ""
	if !explicit {
		if l.s.DefaultPath == "" {
			l.s.pathNote = "none (the user config directory is unknown; set " + ConfigEnvPath + " or pass --config)"
			return nil
		}
		path, named = l.s.DefaultPath, Source{}
	}
	doc, err := configReadFile(path)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		l.s.pathNote = "none (" + path + " does not exist; using defaults)"
		return nil
	case errors.Is(err, fs.ErrNotExist):
		l.bad(named, "", "config file %s does not exist; check the path, or run without it to use %s", path, l.defaultPathOr("the defaults"))
		return nil
	default:
		if ces := ConfigErrors(err); len(ces) > 0 {
			for _, ce := range ces {
				l.errs = append(l.errs, ce)
			}
		} else {
			l.bad(Source{Kind: SourceFile, Name: path}, "", "cannot read the config file: %v", configPathErr(err))
		}
		return nil
	}
	l.s.Path = path
	switch named.Kind {
	case SourceFlag:
		l.s.pathNote = path + " (from --config)"
	case SourceEnv:
		l.s.pathNote = path + " (from $" + ConfigEnvPath + ")"
	default:
		l.s.pathNote = path + " (default location)"
	}
	return doc
}

func (l *configLoader) defaultPathOr(alt string) string {
	if l.s.DefaultPath != "" {
		return l.s.DefaultPath
	}
	return alt
}

// configPathErr drops the Op and Path of a *fs.PathError, which the caller
// already names.
func configPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// applyFile copies what the file sets over the defaults, validating each value.
func (l *configLoader) applyFile(doc *configDoc) {
	f, s := &doc.file, l.s
	if err := configCheckMode(doc); err != nil {
		l.errs = append(l.errs, err)
	}

	l.applyGroups(doc)
	if f.DefaultGroup != nil {
		l.group = configRaw{v: *f.DefaultGroup, src: doc.source("default_group"), set: true}
	}

	// auth
	if f.Auth.ClientID != nil {
		l.setClientID(doc.source("auth.client_id"), "auth.client_id", *f.Auth.ClientID)
	}
	if f.Auth.Secret != nil {
		src := doc.source("auth.secret")
		l.secretKeys = append(l.secretKeys, "auth.secret")
		if *f.Auth.Secret == "" {
			l.bad(src, "auth.secret", "is empty; remove the key, or better, use secret_env or secret_command")
		} else {
			s.Auth.Secret.Inline = api.NewSecret(*f.Auth.Secret)
			l.from("auth.secret", src)
		}
	}
	if f.Auth.SecretEnv != nil {
		src := doc.source("auth.secret_env")
		l.secretKeys = append(l.secretKeys, "auth.secret_env")
		if !configValidEnvName(*f.Auth.SecretEnv) {
			l.bad(src, "auth.secret_env", "%q is not an environment variable name (letters, digits and _, not starting with a digit)", *f.Auth.SecretEnv)
		} else {
			s.Auth.Secret.Env = *f.Auth.SecretEnv
			l.from("auth.secret", src)
		}
	}
	if f.Auth.SecretCommand != nil {
		src := doc.source("auth.secret_command")
		l.secretKeys = append(l.secretKeys, "auth.secret_command")
		if len(f.Auth.SecretCommand) == 0 || f.Auth.SecretCommand[0] == "" {
			l.bad(src, "auth.secret_command", `needs the program and its arguments, e.g. ["pass", "show", "twilio"]`)
		} else {
			s.Auth.Secret.Command = append([]string(nil), f.Auth.SecretCommand...)
			l.from("auth.secret", src)
		}
	}
	if len(l.secretKeys) > 1 {
		l.bad(doc.source(l.secretKeys[1]), l.secretKeys[1], "set only one of %s; they are different places to get the same secret", strings.Join(l.secretKeys, ", "))
	}
	if f.Auth.SecretCommandTimeout != nil {
		l.setDuration(doc.source("auth.secret_command_timeout"), "auth.secret_command_timeout", *f.Auth.SecretCommandTimeout, configMaxSecretTimeout, &s.Auth.Secret.Timeout)
	}

	// api
	if f.API.BaseURL != nil {
		l.setURL(doc.source("api.base_url"), "api.base_url", *f.API.BaseURL, &s.API.BaseURL)
	}
	if f.API.TokenURL != nil {
		l.setURL(doc.source("api.token_url"), "api.token_url", *f.API.TokenURL, &s.API.TokenURL)
	}
	if f.API.PageSize != nil {
		l.setInt(doc.source("api.page_size"), "api.page_size", *f.API.PageSize, 1, api.MaxPageSize, &s.API.PageSize)
	}
	if f.API.RequestTimeout != nil {
		l.setDuration(doc.source("api.request_timeout"), "api.request_timeout", *f.API.RequestTimeout, configMaxTimeout, &s.API.RequestTimeout)
	}
	if f.API.MaxRetries != nil {
		l.setInt(doc.source("api.max_retries"), "api.max_retries", *f.API.MaxRetries, 0, configMaxRetries, &s.API.MaxRetries)
	}
	if f.API.MaxRetryTime != nil {
		l.setDuration(doc.source("api.max_retry_time"), "api.max_retry_time", *f.API.MaxRetryTime, configMaxTimeout, &s.API.MaxRetryTime)
	}

	// query
	q := f.Query
	window := [3]configRaw{}
	if q.Period != nil {
		window[0] = configRaw{v: *q.Period, src: doc.source("query.period"), set: true}
	}
	for i, v := range []any{q.From, q.To} {
		key := [...]string{"query.from", "query.to"}[i]
		if v == nil {
			continue
		}
		switch d := v.(type) {
		case string:
			window[i+1] = configRaw{v: d, src: doc.source(key), set: true}
		case toml.LocalDate:
			window[i+1] = configRaw{v: d.String(), src: doc.source(key), set: true}
		default:
			l.bad(doc.source(key), key, "expected %s, found %s", configExpected(key), configTOMLKind(v))
		}
	}
	l.applyWindow(window[0], window[1], window[2])
	if q.Category != nil {
		l.setCategory(doc.source("query.category"), "query.category", *q.Category)
	}
	if q.Aggregation != nil {
		l.setAggregation(doc.source("query.aggregation"), "query.aggregation", *q.Aggregation)
	}

	// anomaly
	a := f.Anomaly
	if a.Threshold != nil {
		l.setFloat(doc.source("anomaly.threshold"), "anomaly.threshold", *a.Threshold, 0, configMaxThreshold, false, &s.Anomaly.Threshold)
	}
	if a.MinImpact != nil {
		l.setMinImpact(doc.source("anomaly.min_impact"), a.MinImpact)
	}
	if a.MinPercent != nil {
		l.setFloat(doc.source("anomaly.min_percent"), "anomaly.min_percent", *a.MinPercent, 0, configMaxPercent, true, &s.Anomaly.MinPercent)
	}
	if a.LookbackDays != nil {
		l.setInt(doc.source("anomaly.lookback_days"), "anomaly.lookback_days", *a.LookbackDays, configMinLookback, api.MaxRangeDays, &s.Anomaly.LookbackDays)
	}
	if a.MinHistory != nil {
		l.setInt(doc.source("anomaly.min_history_days"), "anomaly.min_history_days", *a.MinHistory, configMinHistory, api.MaxRangeDays, &s.Anomaly.MinHistoryDays)
	}
	if s.Anomaly.MinHistoryDays > s.Anomaly.LookbackDays {
		key := "anomaly.min_history_days"
		if a.MinHistory == nil {
			key = "anomaly.lookback_days"
		}
		l.bad(doc.source(key), key, "min_history_days (%d) cannot exceed lookback_days (%d): a day needs that much of the history the baseline looks at", s.Anomaly.MinHistoryDays, s.Anomaly.LookbackDays)
	}

	// ui
	if f.UI.AutoloadPages != nil {
		l.setInt(doc.source("ui.autoload_pages"), "ui.autoload_pages", *f.UI.AutoloadPages, 1, configMaxAutoload, &s.UI.AutoloadPages)
	}
	for _, b := range []struct {
		key string
		v   *bool
		dst *bool
	}{{"ui.no_color", f.UI.NoColor, &s.UI.NoColor}, {"ui.ascii", f.UI.ASCII, &s.UI.ASCII}, {"ui.mouse", f.UI.Mouse, &s.UI.Mouse}} {
		if b.v != nil {
			*b.dst = *b.v
			l.from(b.key, doc.source(b.key))
		}
	}
}

// applyGroups reads the [[groups]] tables: each needs a unique name and a
// valid id.
func (l *configLoader) applyGroups(doc *configDoc) {
	seen := map[string]int{}
	for i, g := range doc.file.Groups {
		at := "groups[" + strconv.Itoa(i) + "]"
		src := doc.source(at)
		nameSrc, idSrc := src, src
		if doc.lines[at+".name"] > 0 {
			nameSrc = doc.source(at + ".name")
		}
		if doc.lines[at+".id"] > 0 {
			idSrc = doc.source(at + ".id")
		}
		ok := true
		switch {
		case g.Name == nil || strings.TrimSpace(*g.Name) == "":
			l.bad(nameSrc, "groups.name", "group %d has no name; add name = \"...\" (what you will type for --group)", i+1)
			ok = false
		case strings.HasPrefix(*g.Name, api.GroupIDPrefix):
			l.bad(nameSrc, "groups.name", "a group name cannot start with %s (that is how ids start); put the id in id = \"...\" and give the group a short name", api.GroupIDPrefix)
			ok = false
		case configHasControl(*g.Name):
			l.bad(nameSrc, "groups.name", "group name %q holds control characters", *g.Name)
			ok = false
		default:
			k := strings.ToLower(*g.Name)
			if j, dup := seen[k]; dup {
				l.bad(nameSrc, "groups.name", "group name %q is used twice (also by group %d); names must be unique", *g.Name, j+1)
				ok = false
			}
			seen[k] = i
		}
		switch {
		case g.ID == nil || *g.ID == "":
			l.bad(idSrc, "groups.id", "group %d has no id; add id = \"%s...\"", i+1, api.GroupIDPrefix)
			ok = false
		default:
			if err := api.ValidateGroupID(*g.ID); err != nil {
				l.bad(idSrc, "groups.id", "%s", configReason(err))
				ok = false
			}
		}
		if ok {
			l.s.Groups = append(l.s.Groups, Group{Name: *g.Name, ID: *g.ID})
			l.from("groups["+strconv.Itoa(len(l.s.Groups)-1)+"]", src)
		}
	}
}

// applyEnv applies the environment variables LoadSettings understands.
func (l *configLoader) applyEnv(getenv func(string) string) {
	env := func(name string) (string, Source, bool) {
		v := getenv(name)
		return v, Source{Kind: SourceEnv, Name: name}, v != ""
	}
	if v, src, ok := env(ConfigEnvClientID); ok {
		l.setClientID(src, "auth.client_id", v)
	}
	if _, src, ok := env(api.SecretEnvVar); ok {
		// Resolve reads the variable itself; only its presence is recorded.
		l.from("auth.secret", src)
	}
	if _, src, ok := env(ConfigEnvNoColor); ok {
		// no-color.org: present and not empty means no colour, whatever the value.
		l.s.UI.NoColor = true
		l.from("ui.no_color", src)
	}
	if v, src, ok := env(ConfigEnvBaseURL); ok {
		l.setURL(src, "api.base_url", v, &l.s.API.BaseURL)
	}
	if v, src, ok := env(ConfigEnvTokenURL); ok {
		l.setURL(src, "api.token_url", v, &l.s.API.TokenURL)
	}
	if v, src, ok := env(ConfigEnvGroup); ok {
		l.group = configRaw{v: v, src: src, set: true}
	}
}

// applyFlags applies the flags the user set.
func (l *configLoader) applyFlags(flags map[string]string) {
	names := make([]string, 0, len(flags))
	for n := range flags {
		names = append(names, n)
	}
	sort.Strings(names)
	get := func(name string) configRaw {
		v, ok := flags[name]
		return configRaw{v: v, src: Source{Kind: SourceFlag, Name: name}, set: ok}
	}
	for _, name := range names {
		key, known := configFlagKeys[name]
		if !known {
			// A programming error in the caller, reported rather than ignored.
			l.bad(Source{Kind: SourceFlag, Name: name}, "", "is not a setting LoadSettings knows")
			continue
		}
		f := get(name)
		switch name {
		case "group":
			l.group = f
		case "category":
			l.setCategory(f.src, key, f.v)
		case "aggregation":
			l.setAggregation(f.src, key, f.v)
		case "base-url":
			l.setURL(f.src, key, f.v, &l.s.API.BaseURL)
		case "token-url":
			l.setURL(f.src, key, f.v, &l.s.API.TokenURL)
		case "page-size":
			n, err := strconv.ParseInt(strings.TrimSpace(f.v), 10, 64)
			if err != nil {
				l.bad(f.src, key, "%q is not a whole number; use 1 to %d", f.v, api.MaxPageSize)
				continue
			}
			l.setInt(f.src, key, n, 1, api.MaxPageSize, &l.s.API.PageSize)
		case "no-color", "ascii":
			b, err := strconv.ParseBool(f.v)
			if err != nil {
				l.bad(f.src, key, "%q is not true or false", f.v)
				continue
			}
			if name == "ascii" {
				l.s.UI.ASCII = b
			} else {
				l.s.UI.NoColor = b
			}
			l.from(key, f.src)
		}
	}
	l.applyWindow(get("period"), get("from"), get("to"))
}

// applyWindow applies one layer's period or custom range. A layer that sets
// either replaces the whole window of the layers below it.
func (l *configLoader) applyWindow(period, from, to configRaw) {
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
		p, err := api.ParseTimePeriod(strings.TrimSpace(period.v))
		if err != nil {
			l.bad(period.src, "query.period", "%s", configReason(err))
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
		l.bad(from.src, "query.from", "%s", configReason(err1))
	}
	if err2 != nil {
		l.bad(to.src, "query.to", "%s", configReason(err2))
	}
	if err1 != nil || err2 != nil {
		return
	}
	if err := api.ValidateRange(start, end); err != nil {
		l.bad(to.src, "query.to", "%s", configReason(err))
		return
	}
	q.Period, q.From, q.To = "", start, end
	l.from("query.range", from.src)
	l.from("query.to", to.src)
	delete(l.s.sources, "query.period")
}

// finish resolves what depends on several layers: the selected group.
func (l *configLoader) finish() {
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
		l.bad(l.group.src, configGroupKey(l.group.src), "%s", err.Error())
		return
	}
	s.Query.Group = g
	l.from("group", l.group.src)
}

func configGroupKey(src Source) string {
	if src.Kind == SourceFile {
		return "default_group"
	}
	return "group"
}

// FindGroup looks up a billing group by configured name (exact, else
// case-insensitive) or by id. An id that is not configured is returned with
// no name; an unknown name is an error listing the configured names.
func (s *Settings) FindGroup(nameOrID string) (Group, error) {
	v := strings.TrimSpace(nameOrID)
	if strings.HasPrefix(v, api.GroupIDPrefix) {
		if err := api.ValidateGroupID(v); err != nil {
			return Group{}, errors.New(configReason(err))
		}
		for _, g := range s.Groups {
			if g.ID == v {
				return g, nil
			}
		}
		return Group{ID: v}, nil
	}
	for _, g := range s.Groups {
		if g.Name == v {
			return g, nil
		}
	}
	var folded []Group
	for _, g := range s.Groups {
		if strings.EqualFold(g.Name, v) {
			folded = append(folded, g)
		}
	}
	if len(folded) == 1 {
		return folded[0], nil
	}
	if v == "" {
		return Group{}, fmt.Errorf("no billing group given; use a configured name (%s) or an id starting with %s", s.groupNames(), api.GroupIDPrefix)
	}
	if len(s.Groups) == 0 {
		where := "the config file"
		if p := s.configPathForHelp(); p != "" {
			where = p
		}
		return Group{}, fmt.Errorf("unknown billing group %q: no groups are configured; give an id starting with %s, or add a [[groups]] table with name and id to %s", v, api.GroupIDPrefix, where)
	}
	return Group{}, fmt.Errorf("unknown billing group %q; configured groups: %s (or give an id starting with %s)", v, s.groupNames(), api.GroupIDPrefix)
}

func (s *Settings) groupNames() string {
	if len(s.Groups) == 0 {
		return "none"
	}
	names := make([]string, len(s.Groups))
	for i, g := range s.Groups {
		names[i] = g.Name
	}
	return strings.Join(names, ", ")
}

// configPathForHelp is the file the user should edit.
func (s *Settings) configPathForHelp() string {
	if s.Path != "" {
		return s.Path
	}
	return s.DefaultPath
}

// configReason returns an api.ValidationError's reason without the wire
// field name, which means nothing in a config file.
func configReason(err error) string {
	var ve *api.ValidationError
	if errors.As(err, &ve) {
		return ve.Reason
	}
	return err.Error()
}

// configTOMLKind names a decoded value's TOML type for messages.
func configTOMLKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}

// setMinImpact accepts a quoted decimal or an integer, never a float: money
// is exact.
func (l *configLoader) setMinImpact(src Source, v any) {
	const key = "anomaly.min_impact"
	var d decimal.Decimal
	switch x := v.(type) {
	case string:
		var err error
		d, err = decimal.NewFromString(strings.TrimSpace(x))
		if err != nil {
			l.bad(src, key, "%q is not an amount; write it like \"5\" or \"12.50\"", x)
			return
		}
	case int64:
		d = decimal.NewFromInt(x)
	case float64:
		l.bad(src, key, "write money in quotes so it stays exact: min_impact = %q", strconv.FormatFloat(x, 'f', -1, 64))
		return
	default:
		l.bad(src, key, "expected %s, found %s", configExpected(key), configTOMLKind(v))
		return
	}
	if d.IsNegative() {
		l.bad(src, key, "cannot be negative")
		return
	}
	l.s.Anomaly.MinImpact = d
	l.from(key, src)
}

// ReplaceGroups swaps in another set of billing groups, such as the demo
// server's, and selects one of them: nameOrID (a --group value) when not
// empty, else the first. Pass a --group value here instead of to
// LoadSettings when the groups it may name are not in the config file.
func (s *Settings) ReplaceGroups(groups []Group, nameOrID string) error {
	s.Groups = append([]Group(nil), groups...)
	for k := range s.sources {
		if strings.HasPrefix(k, "groups[") {
			delete(s.sources, k)
		}
	}
	s.Query.Group = Group{}
	if nameOrID == "" {
		if len(s.Groups) > 0 {
			s.Query.Group = s.Groups[0]
		}
		s.sources["group"] = Source{}
		return nil
	}
	g, err := s.FindGroup(nameOrID)
	if err != nil {
		return &ConfigError{Source: Source{Kind: SourceFlag, Name: "group"}, Key: "group", Msg: err.Error()}
	}
	s.Query.Group = g
	s.sources["group"] = Source{Kind: SourceFlag, Name: "group"}
	return nil
}
