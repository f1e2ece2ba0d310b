package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// document is a decoded config file: each key's value by its name in the
// table (an array of tables as one []map[string]any), and the line each
// key was set on.
type document struct {
	path   string
	values map[string]any
	lines  map[string]int
	mode   fs.FileMode
}

// source returns the file source of key, with its line when known.
func (d *document) source(key string) Source {
	return Source{Kind: SourceFile, Name: d.path, Line: d.lines[key]}
}

// fileType is the Go type the TOML decoder fills, built from the key
// table, so the decoder knows exactly the keys the table does. Pointer
// fields tell "absent" from "set to the zero value".
var fileType = sync.OnceValue(func() reflect.Type { return structFor("") })

// structFor is the struct of the keys in table.
func structFor(table string) reflect.Type {
	var fields []reflect.StructField
	for i := range keys {
		k := &keys[i]
		if parent(k.Name) != table {
			continue
		}
		fields = append(fields, reflect.StructField{
			Name: "K" + strconv.Itoa(i),
			Type: goType(k),
			Tag:  reflect.StructTag(`toml:"` + leaf(k.Name) + `"`),
		})
	}
	return reflect.StructOf(fields)
}

func goType(k *spec) reflect.Type {
	switch k.Type {
	case typeInt:
		return reflect.TypeFor[*int64]()
	case typeFloat:
		return reflect.TypeFor[*float64]()
	case typeBool:
		return reflect.TypeFor[*bool]()
	case typeDate, typeMoney:
		// A date may be quoted or bare; money may be quoted or an integer.
		return reflect.TypeFor[any]()
	case typeStrings:
		return reflect.TypeFor[[]string]()
	case typeInts:
		return reflect.TypeFor[[]int64]()
	case typeTable:
		return structFor(k.Name)
	case typeTables:
		return reflect.SliceOf(structFor(k.Name))
	case typeLists:
		return reflect.TypeFor[map[string][]string]()
	}
	return reflect.TypeFor[*string]()
}

// flatten copies the keys of table that v sets into out, by key name.
func flatten(v reflect.Value, table string, out map[string]any) {
	for i := range keys {
		k := &keys[i]
		if parent(k.Name) != table {
			continue
		}
		f := v.FieldByName("K" + strconv.Itoa(i))
		switch {
		case k.Type == typeTable:
			flatten(f, k.Name, out)
		case k.Type == typeTables:
			if f.IsNil() {
				continue
			}
			entries := make([]map[string]any, f.Len())
			for j := range entries {
				entries[j] = map[string]any{}
				flatten(f.Index(j), k.Name, entries[j])
			}
			out[k.Name] = entries
		case f.IsNil():
		case f.Kind() == reflect.Pointer:
			out[k.Name] = f.Elem().Interface()
		default:
			out[k.Name] = f.Interface()
		}
	}
}

// decode decodes a TOML document strictly: unknown keys and wrong types
// are errors naming the key and the line.
func decode(path string, data []byte) (*document, error) {
	doc := &document{path: path, lines: keyLines(data), values: map[string]any{}}
	dst := reflect.New(fileType())
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst.Interface()); err != nil {
		return nil, errors.Join(decodeErrors(path, err)...)
	}
	flatten(dst.Elem(), "", doc.values)
	return doc, nil
}

// keyLines maps each dotted key the document sets to its line:
// "api.page_size", "groups[1].name", "groups[1]" (the table header). On a
// syntax error it returns what it found before it; the decoder reports the
// error itself.
func keyLines(data []byte) map[string]int {
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
			key = joinKey(key, string(it.Node().Data))
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
				key = joinKey(key, string(it.Node().Data))
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

func joinKey(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// cannotDecode matches go-toml's type mismatch message.
var cannotDecode = regexp.MustCompile(`^cannot decode TOML ([a-z ]+?) into`)

// scrubs remove the parts of a parser message that quote the input: the
// input may be a secret.
var scrubs = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`got U\+[0-9A-Fa-f]{4,6}( '(?s:.)')?`), "got another character"},
	{regexp.MustCompile(` ?U\+[0-9A-Fa-f]{4,6}( '(?s:.)')?`), ""},
	{regexp.MustCompile(`parsing ".*?"`), "parsing the value"},
}

// decodeErrors turns go-toml's errors into Errors that name the key and
// the line and say what the key expects, without quoting values.
func decodeErrors(path string, err error) []error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		out := make([]error, 0, len(strict.Errors))
		for i := range strict.Errors {
			e := &strict.Errors[i]
			row, _ := e.Position()
			out = append(out, &Error{
				Source: Source{Kind: SourceFile, Name: path, Line: row},
				Key:    strings.Join(e.Key(), "."),
				Msg:    "unknown key" + suggest(e.Key()),
			})
		}
		return out
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		key := strings.Join(de.Key(), ".")
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if m := cannotDecode.FindStringSubmatch(msg); m != nil {
			msg = "expected " + hint(key) + ", found a TOML " + m[1]
		} else {
			for _, s := range scrubs {
				msg = s.re.ReplaceAllString(msg, s.with)
			}
			if key == "" {
				msg = "syntax error: " + msg
			}
		}
		return []error{&Error{Source: Source{Kind: SourceFile, Name: path, Line: row}, Key: key, Msg: msg}}
	}
	return []error{&Error{Source: Source{Kind: SourceFile, Name: path}, Msg: err.Error()}}
}

// known lists the keys of table ("" for the top level, "groups" for a
// [[groups]] entry), sorted.
func known(table string) []string {
	var out []string
	for _, k := range keys {
		if parent(k.Name) == table {
			out = append(out, leaf(k.Name))
		}
	}
	sort.Strings(out)
	return out
}

// suggest proposes the nearest known key for a misspelt one.
func suggest(key []string) string {
	if len(key) == 0 {
		return ""
	}
	table := strings.Join(key[:len(key)-1], ".")
	names := known(table)
	bad := key[len(key)-1]
	best, bestDist := "", 3
	for _, k := range names {
		if d := editDistance(bad, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	where := "at the top level"
	if table != "" {
		where = "in [" + table + "]"
	}
	if best != "" {
		return fmt.Sprintf("; did you mean %s? (keys %s: %s)", best, where, strings.Join(names, ", "))
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf(" (keys %s: %s)", where, strings.Join(names, ", "))
}

// editDistance is the Levenshtein distance between two short keys.
func editDistance(a, b string) int {
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
