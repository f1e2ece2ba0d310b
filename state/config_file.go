package state

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// configMaxFileSize caps the config file: a real one is a few KB, and a
// path pointing at a device or a huge file must not be read whole.
const configMaxFileSize = 1 << 20

// configFile is the TOML document. Pointer fields tell "absent" from "set to
// the zero value", so only what the file sets overrides the defaults.
type configFile struct {
	DefaultGroup *string           `toml:"default_group"`
	Groups       []configFileGroup `toml:"groups"`
	Auth         configFileAuth    `toml:"auth"`
	API          configFileAPI     `toml:"api"`
	Query        configFileQuery   `toml:"query"`
	Anomaly      configFileAnomaly `toml:"anomaly"`
	UI           configFileUI      `toml:"ui"`
}

type configFileGroup struct {
	Name *string `toml:"name"`
	ID   *string `toml:"id"`
}

type configFileAuth struct {
	ClientID *string `toml:"client_id"`
	// Secret lives here only between decoding and wrapping in api.Secret.
	Secret               *string  `toml:"secret"`
	SecretEnv            *string  `toml:"secret_env"`
	SecretCommand        []string `toml:"secret_command"`
	SecretCommandTimeout *string  `toml:"secret_command_timeout"`
}

type configFileAPI struct {
	BaseURL        *string `toml:"base_url"`
	TokenURL       *string `toml:"token_url"`
	PageSize       *int64  `toml:"page_size"`
	RequestTimeout *string `toml:"request_timeout"`
	MaxRetries     *int64  `toml:"max_retries"`
	MaxRetryTime   *string `toml:"max_retry_time"`
}

type configFileQuery struct {
	Period *string `toml:"period"`
	// From and To take a quoted string or a bare TOML date.
	From        any     `toml:"from"`
	To          any     `toml:"to"`
	Category    *string `toml:"category"`
	Aggregation *string `toml:"aggregation"`
}

type configFileAnomaly struct {
	Threshold *float64 `toml:"threshold"`
	// MinImpact takes a quoted decimal or an integer; a float is refused
	// because it may not be the amount the user wrote.
	MinImpact    any      `toml:"min_impact"`
	MinPercent   *float64 `toml:"min_percent"`
	LookbackDays *int64   `toml:"lookback_days"`
	MinHistory   *int64   `toml:"min_history_days"`
}

type configFileUI struct {
	AutoloadPages *int64 `toml:"autoload_pages"`
	NoColor       *bool  `toml:"no_color"`
	ASCII         *bool  `toml:"ascii"`
	Mouse         *bool  `toml:"mouse"`
}

// configDoc is a decoded file with the line each key was set on.
type configDoc struct {
	path  string
	file  configFile
	lines map[string]int
	mode  fs.FileMode
}

// source returns the file source of key, with its line when known.
func (d *configDoc) source(key string) Source {
	return Source{Kind: SourceFile, Name: d.path, Line: d.lines[key]}
}

// configReadFile opens, reads and decodes the config file at path.
func configReadFile(path string) (*configDoc, error) {
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
	data, err := io.ReadAll(io.LimitReader(f, configMaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > configMaxFileSize {
		return nil, &ConfigError{Source: Source{Kind: SourceFile, Name: path}, Msg: fmt.Sprintf("file is larger than %d bytes; is this the right file?", configMaxFileSize)}
	}
	doc, err := configDecode(path, data)
	if err != nil {
		return nil, err
	}
	doc.mode = info.Mode()
	return doc, nil
}

// configDecode decodes a TOML document strictly: unknown keys and wrong
// types are errors naming the key and the line.
func configDecode(path string, data []byte) (*configDoc, error) {
	doc := &configDoc{path: path, lines: configKeyLines(data)}
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc.file); err != nil {
		return nil, errors.Join(configDecodeErrors(path, err)...)
	}
	return doc, nil
}

// configCheckMode refuses a file that holds an inline secret and that other
// users can read, as ssh refuses such a private key.
func configCheckMode(doc *configDoc) error {
	if doc.file.Auth.Secret == nil || *doc.file.Auth.Secret == "" || runtime.GOOS == "windows" {
		return nil
	}
	perm := doc.mode.Perm()
	if perm&0o077 == 0 {
		return nil
	}
	return &ConfigError{
		Source: doc.source("auth.secret"),
		Key:    "auth.secret",
		Msg: fmt.Sprintf("this file holds an inline client secret and other users can read it (mode %04o); "+
			"run: chmod 600 %s (or move the secret out of the file with secret_env or secret_command)",
			perm, configShellQuote(doc.path)),
	}
}

// configShellQuote quotes p for a POSIX shell only when it needs it, so the
// chmod fix in a message can be pasted as is.
func configShellQuote(p string) string {
	safe := p != ""
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+:@%,=", r)) {
			safe = false
			break
		}
	}
	if safe {
		return p
	}
	return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
}

// configKeyLines maps each dotted key the document sets to its line:
// "api.page_size", "groups[1].name", "groups[1]" (the table header). On a
// syntax error it returns what it found before it; the decoder reports the
// error itself.
func configKeyLines(data []byte) map[string]int {
	lines := map[string]int{}
	var p unstable.Parser
	p.Reset(data)
	prefix := ""
	arrays := map[string]int{}
	line := func(n *unstable.Node) int { return p.Shape(n.Raw).Start.Line }
	var keyval func(prefix string, kv *unstable.Node)
	keyval = func(prefix string, kv *unstable.Node) {
		it := kv.Key()
		var first *unstable.Node
		key := prefix
		for it.Next() {
			if first == nil {
				first = it.Node()
			}
			key = configJoinKey(key, string(it.Node().Data))
		}
		if first == nil {
			return
		}
		lines[key] = line(first)
		v := kv.Value()
		switch v.Kind {
		case unstable.InlineTable:
			c := v.Children()
			for c.Next() {
				keyval(key, c.Node())
			}
		case unstable.Array:
			c := v.Children()
			for i := 0; c.Next(); i++ {
				if c.Node().Kind != unstable.InlineTable {
					continue
				}
				elem := key + "[" + strconv.Itoa(i) + "]"
				lines[elem] = line(first)
				cc := c.Node().Children()
				for cc.Next() {
					keyval(elem, cc.Node())
				}
			}
		}
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			it := e.Key()
			key, ln := "", 0
			for it.Next() {
				if ln == 0 {
					ln = line(it.Node())
				}
				key = configJoinKey(key, string(it.Node().Data))
			}
			if e.Kind == unstable.ArrayTable {
				i := arrays[key]
				arrays[key] = i + 1
				if _, ok := lines[key]; !ok {
					lines[key] = ln
				}
				key += "[" + strconv.Itoa(i) + "]"
			}
			if _, ok := lines[key]; !ok {
				lines[key] = ln
			}
			prefix = key
		case unstable.KeyValue:
			keyval(prefix, e)
		}
	}
	return lines
}

func configJoinKey(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// configCannotDecode matches go-toml's type mismatch message.
var configCannotDecode = regexp.MustCompile(`^cannot decode TOML ([a-z ]+?) into`)

// configScrubs remove the parts of a parser message that quote the input:
// the input may be a secret.
var configScrubs = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`got U\+[0-9A-Fa-f]{4,6}( '(?s:.)')?`), "got another character"},
	{regexp.MustCompile(` ?U\+[0-9A-Fa-f]{4,6}( '(?s:.)')?`), ""},
	{regexp.MustCompile(`parsing ".*?"`), "parsing the value"},
}

// configDecodeErrors turns go-toml's errors into ConfigErrors that name the
// key and the line and say what the key expects, without quoting values.
func configDecodeErrors(path string, err error) []error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		out := make([]error, 0, len(strict.Errors))
		for i := range strict.Errors {
			e := &strict.Errors[i]
			row, _ := e.Position()
			key := strings.Join(e.Key(), ".")
			out = append(out, &ConfigError{
				Source: Source{Kind: SourceFile, Name: path, Line: row},
				Key:    key,
				Msg:    "unknown key" + configSuggest(e.Key()),
			})
		}
		return out
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		key := strings.Join(de.Key(), ".")
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if m := configCannotDecode.FindStringSubmatch(msg); m != nil {
			msg = "expected " + configExpected(key) + ", found a TOML " + m[1]
		} else {
			for _, s := range configScrubs {
				msg = s.re.ReplaceAllString(msg, s.with)
			}
			if key == "" {
				msg = "syntax error: " + msg
			}
		}
		return []error{&ConfigError{Source: Source{Kind: SourceFile, Name: path, Line: row}, Key: key, Msg: msg}}
	}
	return []error{&ConfigError{Source: Source{Kind: SourceFile, Name: path}, Msg: err.Error()}}
}

// configKeyHints say what a key expects where its Go type alone would not.
var configKeyHints = map[string]string{
	"auth.secret_command":         `a list of strings, e.g. ["pass", "show", "twilio"] (it runs without a shell)`,
	"auth.secret_command_timeout": `a duration in quotes, e.g. "10s"`,
	"api.request_timeout":         `a duration in quotes, e.g. "30s"`,
	"api.max_retry_time":          `a duration in quotes, e.g. "60s"`,
	"anomaly.min_impact":          `an amount in quotes, e.g. "5" or "12.50"`,
	"query.from":                  `a date, e.g. "2025-01-01"`,
	"query.to":                    `a date, e.g. "2025-01-31"`,
	"query.period":                `one of "YESTERDAY", "THIS_MONTH", "LAST_MONTH", "THIS_YEAR"`,
	"query.aggregation":           `"DAILY" or "MONTHLY"`,
	"groups":                      `[[groups]] tables, each with name = "..." and id = "commerce_billingprofile_..."`,
	"auth.secret":                 `a string in quotes`,
	"auth.secret_env":             `the name of an environment variable, in quotes`,
	"api.page_size":               `a whole number from 1 to 1000`,
	"anomaly.lookback_days":       `a whole number of days, e.g. 28`,
	"anomaly.min_history_days":    `a whole number of days, e.g. 14`,
	"ui.autoload_pages":           `a whole number, e.g. 20`,
	"default_group":               `a group name or id, in quotes`,
	"auth.client_id":              `a string in quotes`,
	"api.max_retries":             `a whole number, e.g. 4`,
	"anomaly.threshold":           `a number, e.g. 3.5`,
	"anomaly.min_percent":         `a number of percent, e.g. 30`,
	"query.category":              `a product category in quotes`,
	"api.base_url":                `a URL in quotes`,
	"api.token_url":               `a URL in quotes`,
	"groups.name":                 `a string in quotes`,
	"groups.id":                   `a billing group id in quotes`,
	"ui.no_color":                 `true or false`,
	"ui.ascii":                    `true or false`,
	"ui.mouse":                    `true or false`,
	"auth":                        `the [auth] table`,
	"api":                         `the [api] table`,
	"query":                       `the [query] table`,
	"anomaly":                     `the [anomaly] table`,
	"ui":                          `the [ui] table`,
}

// configExpected describes what key expects.
func configExpected(key string) string {
	if h, ok := configKeyHints[key]; ok && h != "" {
		return h
	}
	return "another type"
}

// configKnownKeys lists the keys of each table of the file format, by table
// path ("" for the top level, "groups" for a [[groups]] entry), read from the
// struct tags so the list cannot drift from the decoder.
func configKnownKeys() map[string][]string {
	out := map[string][]string{}
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := f.Tag.Get("toml")
			out[prefix] = append(out[prefix], name)
			ft := f.Type
			if ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				walk(configJoinKey(prefix, name), ft)
			}
		}
	}
	walk("", reflect.TypeOf(configFile{}))
	return out
}

// configSuggest proposes the nearest known key for a misspelt one.
func configSuggest(key []string) string {
	if len(key) == 0 {
		return ""
	}
	table := strings.Join(key[:len(key)-1], ".")
	known := configKnownKeys()[table]
	bad := key[len(key)-1]
	best, bestDist := "", 3
	for _, k := range known {
		if d := configEditDistance(bad, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	sort.Strings(known)
	where := "at the top level"
	if table != "" {
		where = "in [" + table + "]"
	}
	if best != "" {
		return fmt.Sprintf("; did you mean %s? (keys %s: %s)", best, where, strings.Join(known, ", "))
	}
	if len(known) == 0 {
		return ""
	}
	return fmt.Sprintf(" (keys %s: %s)", where, strings.Join(known, ", "))
}

// configEditDistance is the Levenshtein distance between two short keys.
func configEditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
