package config

import (
	"strconv"
	"strings"

	"github.com/usagetop/usagetop/api"
)

// keyType is what a key holds. It decides the Go type the file is decoded
// into and how the text of an environment variable or a flag is read.
type keyType uint8

// Key types.
const (
	typeString   keyType = iota + 1
	typeInt              // a whole number, within spec.Min..spec.Max
	typeFloat            // a number
	typeBool             // true or false
	typeDuration         // a quoted duration, "30s"
	typeDate             // a TOML date or a quoted YYYY-MM-DD
	typeMoney            // a quoted decimal or an integer; never a float
	typeStrings          // a list of strings
	typeInts             // a list of whole numbers
	typeTable            // a table of the keys named under it
	typeTables           // an array of tables ([[groups]]), applied as a whole
	typeLists            // a table of names, each to a list of strings
)

// Commands says which commands take a key's flag.
type Commands uint8

// Flag scopes for RegisterFlags.
const (
	// QueryCommands are the dashboard, export and config check.
	QueryCommands Commands = 1 << iota
	// ServeCommand is usagetop serve.
	ServeCommand
	// ScreenCommands are those that draw a screen: the dashboard (served
	// sessions take their screen from the client's terminal).
	ScreenCommands
)

// spec is one setting: where it lives in the file, its environment variable
// and flag, its default, and how it is validated and reported. The table
// (keys) is the one place a setting is described.
type spec struct {
	// Name is the dotted file key, e.g. "api.page_size"; inside an array of
	// tables it is the array's name and the key, e.g. "groups.id".
	Name string
	Type keyType
	// Default is the built-in value as text, read like a flag's; empty when
	// the setting has none.
	Default string
	// Env is the environment variable that overrides the file; empty if none.
	Env string
	// Flag is the command-line flag (no dashes) that overrides the
	// environment; empty if none. Usage is its help; Commands, its commands.
	Flag     string
	Usage    string
	Commands Commands
	// Hint says what the key expects, for a value of the wrong type.
	Hint string
	// Min and Max bound a typeInt.
	Min, Max int64
	// Secret marks a key whose value is a secret: a file holding it must not
	// be readable by other users.
	Secret bool
	// Guarded marks a key that decides what runs or where credentials are
	// sent: a file setting it must not be writable by other users.
	Guarded bool

	// apply validates a value from any layer and stores it in the settings.
	apply func(l *loader, k *spec, src Source, v any)
	// report writes the key's lines of `config check`; nil writes none.
	report func(s *Settings, r *reporter, k *spec)
}

// keys is the table. Its order is the order of the file, of `config check`
// and of the checks, so messages come out in the order a reader meets them.
var keys []spec

func init() { keys = keyTable() }

func keyTable() []spec {
	return append([]spec{
		{Name: "default_group", Type: typeString, Env: "USAGETOP_GROUP", Flag: "group", Commands: QueryCommands,
			Usage: "billing group: a configured name or an id (commerce_billingprofile_...)",
			Hint:  `a group name or id, in quotes`,
			apply: func(l *loader, _ *spec, src Source, v any) {
				l.group = raw{v: v.(string), src: src, set: true}
			},
			report: reportGroup},
		{Name: "groups", Type: typeTables, Hint: `[[groups]] tables, each with name = "..." and id = "commerce_billingprofile_..."`,
			apply: func(l *loader, _ *spec, _ Source, v any) { l.applyGroups(v.([]map[string]any)) },
			report: func(s *Settings, r *reporter, _ *spec) {
				for i, g := range s.Groups {
					k := "groups[" + strconv.Itoa(i) + "]"
					r.row(k, g.Name+" = "+g.ID, s.sources[k])
				}
			}},
		{Name: "groups.name", Type: typeString, Hint: `a string in quotes`},
		{Name: "groups.id", Type: typeString, Hint: `a billing group id in quotes`},

		{Name: "auth", Type: typeTable},
		{Name: "auth.client_id", Type: typeString, Env: envClientID, Hint: `a string in quotes`,
			apply: func(l *loader, k *spec, src Source, v any) { l.setClientID(src, k.Name, v.(string)) },
			report: func(s *Settings, r *reporter, k *spec) {
				r.rowOrNotSet(k.Name, s.Auth.ClientID, s.sources[k.Name])
			}},
		{Name: "auth.secret", Type: typeString, Env: api.SecretEnvVar, Secret: true, Hint: `a string in quotes`,
			apply: (*loader).setInlineSecret,
			report: func(s *Settings, r *reporter, k *spec) {
				if src, ok := s.sources[k.Name]; ok {
					r.row(k.Name, s.secretStatus(), src)
				} else {
					r.line(k.Name, s.secretStatus())
				}
			}},
		{Name: "auth.secret_env", Type: typeString, Hint: `the name of an environment variable, in quotes`,
			apply: (*loader).setSecretEnv},
		{Name: "auth.secret_command", Type: typeStrings, Guarded: true,
			Hint:  `a list of strings, e.g. ["pass", "show", "twilio"] (it runs without a shell)`,
			apply: (*loader).setSecretCommand},
		{Name: "auth.secret_command_timeout", Type: typeDuration, Default: api.DefaultSecretCommandTimeout.String(),
			Hint: `a duration in quotes, e.g. "10s"`,
			apply: func(l *loader, k *spec, src Source, v any) {
				l.setDuration(src, k.Name, v.(string), maxSecretTimeout, &l.s.Auth.Secret.Timeout)
			},
			report: func(s *Settings, r *reporter, k *spec) {
				if len(s.Auth.Secret.Command) > 0 {
					r.row(k.Name, s.Auth.Secret.Timeout.String(), s.sources[k.Name])
				}
			}},

		{Name: "api", Type: typeTable},
		{Name: "api.base_url", Type: typeString, Default: api.DefaultBaseURL, Env: "USAGETOP_BASE_URL",
			Flag: "base-url", Usage: "API base URL", Commands: QueryCommands, Guarded: true, Hint: `a URL in quotes`,
			apply:  func(l *loader, k *spec, src Source, v any) { l.setURL(src, k.Name, v.(string), &l.s.API.BaseURL) },
			report: reportValue(func(s *Settings) string { return s.API.BaseURL })},
		{Name: "api.token_url", Type: typeString, Default: api.DefaultTokenURL, Env: "USAGETOP_TOKEN_URL",
			Flag: "token-url", Usage: "OAuth token URL", Commands: QueryCommands, Guarded: true, Hint: `a URL in quotes`,
			apply:  func(l *loader, k *spec, src Source, v any) { l.setURL(src, k.Name, v.(string), &l.s.API.TokenURL) },
			report: reportValue(func(s *Settings) string { return s.API.TokenURL })},
		{Name: "api.page_size", Type: typeInt, Default: "1000", Min: 1, Max: api.MaxPageSize,
			Flag: "page-size", Usage: "records per page, 1 to 1000", Commands: QueryCommands,
			Hint:   `a whole number from 1 to 1000`,
			apply:  intSetting(func(s *Settings) *int { return &s.API.PageSize }),
			report: reportValue(func(s *Settings) string { return strconv.Itoa(s.API.PageSize) })},
		{Name: "api.request_timeout", Type: typeDuration, Default: api.DefaultRequestTimeout.String(),
			Hint: `a duration in quotes, e.g. "30s"`,
			apply: func(l *loader, k *spec, src Source, v any) {
				l.setDuration(src, k.Name, v.(string), maxTimeout, &l.s.API.RequestTimeout)
			},
			report: reportValue(func(s *Settings) string { return s.API.RequestTimeout.String() })},
		{Name: "api.max_retries", Type: typeInt, Default: strconv.Itoa(api.DefaultMaxAttempts - 1), Min: 0, Max: maxRetries,
			Hint:   `a whole number, e.g. 4`,
			apply:  intSetting(func(s *Settings) *int { return &s.API.MaxRetries }),
			report: reportValue(func(s *Settings) string { return strconv.Itoa(s.API.MaxRetries) })},
		{Name: "api.max_retry_time", Type: typeDuration, Default: api.DefaultMaxRetryTime.String(),
			Hint: `a duration in quotes, e.g. "60s"`,
			apply: func(l *loader, k *spec, src Source, v any) {
				l.setDuration(src, k.Name, v.(string), maxTimeout, &l.s.API.MaxRetryTime)
			},
			report: reportValue(func(s *Settings) string { return s.API.MaxRetryTime.String() })},

		{Name: "query", Type: typeTable},
		{Name: "query.period", Type: typeString, Default: string(api.ThisMonth), Flag: "period", Commands: QueryCommands,
			Usage: "YESTERDAY, THIS_MONTH, LAST_MONTH, THIS_YEAR, LAST_7_DAYS, LAST_30_DAYS, LAST_90_DAYS or LAST_12_MONTHS",
			Hint:  `one of "YESTERDAY", "THIS_MONTH", "LAST_MONTH", "THIS_YEAR", "LAST_7_DAYS", "LAST_30_DAYS", "LAST_90_DAYS", "LAST_12_MONTHS"`,
			apply: func(l *loader, _ *spec, src Source, v any) {
				l.window[0] = raw{v: v.(string), src: src, set: true}
			},
			report: reportWindow},
		{Name: "query.from", Type: typeDate, Flag: "from", Commands: QueryCommands,
			Usage: "custom range start, YYYY-MM-DD (with --to; not with --period)",
			Hint:  `a date, e.g. "2025-01-01"`,
			apply: func(l *loader, k *spec, src Source, v any) { l.setWindowDate(1, k, src, v) }},
		{Name: "query.to", Type: typeDate, Flag: "to", Commands: QueryCommands,
			Usage: "custom range end, YYYY-MM-DD, inclusive",
			Hint:  `a date, e.g. "2025-01-31"`,
			apply: func(l *loader, k *spec, src Source, v any) { l.setWindowDate(2, k, src, v) }},
		{Name: "query.category", Type: typeString, Flag: "category", Commands: QueryCommands,
			Usage: "one product category (productCategory); default all",
			Hint:  `a product category in quotes`,
			apply: (*loader).setCategory,
			report: reportValue(func(s *Settings) string {
				if s.Query.Category == "" {
					return "(all)"
				}
				return s.Query.Category
			})},
		{Name: "query.aggregation", Type: typeString, Default: string(api.Daily), Flag: "aggregation", Commands: QueryCommands,
			Usage: "DAILY or MONTHLY", Hint: `"DAILY" or "MONTHLY"`,
			apply:  (*loader).setAggregation,
			report: reportValue(func(s *Settings) string { return string(s.Query.Aggregation) })},

		{Name: "anomaly", Type: typeTable},
		{Name: "anomaly.threshold", Type: typeFloat, Default: "3.5", Hint: `a number, e.g. 3.5`,
			apply: func(l *loader, k *spec, src Source, v any) {
				l.setFloat(src, k.Name, v.(float64), 0, maxThreshold, false, &l.s.Anomaly.Threshold)
			},
			report: reportValue(func(s *Settings) string { return formatFloat(s.Anomaly.Threshold) })},
		{Name: "anomaly.min_impact", Type: typeMoney, Default: "5", Hint: `an amount in quotes, e.g. "5" or "12.50"`,
			apply: func(l *loader, k *spec, src Source, v any) {
				if d, ok := l.money(src, k, v); ok {
					l.s.Anomaly.MinImpact = d
					l.from(k.Name, src)
				}
			},
			report: reportValue(func(s *Settings) string { return s.Anomaly.MinImpact.String() })},
		{Name: "anomaly.min_percent", Type: typeFloat, Default: "30", Hint: `a number of percent, e.g. 30`,
			apply: func(l *loader, k *spec, src Source, v any) {
				l.setFloat(src, k.Name, v.(float64), 0, maxPercent, true, &l.s.Anomaly.MinPercent)
			},
			report: reportValue(func(s *Settings) string { return formatFloat(s.Anomaly.MinPercent) })},
		{Name: "anomaly.lookback_days", Type: typeInt, Default: "28", Min: minLookback, Max: api.MaxRangeDays,
			Hint:   `a whole number of days, e.g. 28`,
			apply:  intSetting(func(s *Settings) *int { return &s.Anomaly.LookbackDays }),
			report: reportValue(func(s *Settings) string { return strconv.Itoa(s.Anomaly.LookbackDays) })},
		{Name: "anomaly.min_history_days", Type: typeInt, Default: "14", Min: minHistory, Max: api.MaxRangeDays,
			Hint:   `a whole number of days, e.g. 14`,
			apply:  intSetting(func(s *Settings) *int { return &s.Anomaly.MinHistoryDays }),
			report: reportValue(func(s *Settings) string { return strconv.Itoa(s.Anomaly.MinHistoryDays) })},

		{Name: "ui", Type: typeTable},
		{Name: "ui.autoload_pages", Type: typeInt, Default: "20", Min: 1, Max: maxAutoload,
			Hint:   `a whole number, e.g. 20`,
			apply:  intSetting(func(s *Settings) *int { return &s.UI.AutoloadPages }),
			report: reportValue(func(s *Settings) string { return strconv.Itoa(s.UI.AutoloadPages) })},
		{Name: "ui.refresh_days", Type: typeInt, Default: "7", Min: 1, Max: 365,
			Hint:   `a whole number of days, e.g. 7`,
			apply:  intSetting(func(s *Settings) *int { return &s.UI.RefreshDays }),
			report: reportValue(func(s *Settings) string { return strconv.Itoa(s.UI.RefreshDays) })},
		boolKey("ui.no_color", "NO_COLOR", "no-color", "monochrome screen (also NO_COLOR)", func(s *Settings) *bool { return &s.UI.NoColor }),
		boolKey("ui.ascii", "", "ascii", "draw without Unicode blocks and symbols", func(s *Settings) *bool { return &s.UI.ASCII }),
		boolKey("ui.mouse", "", "mouse", "click headers to sort, rows to select, tabs to switch; the wheel scrolls", func(s *Settings) *bool { return &s.UI.Mouse }),

		{Name: "budget", Type: typeTables, Hint: `[[budget]] tables, each with group = "...", monthly = "5000.00" and currency = "USD"`,
			apply:  func(l *loader, _ *spec, _ Source, v any) { l.applyBudgets(v.([]map[string]any)) },
			report: reportBudgets},
		{Name: "budget.group", Type: typeString, Hint: `a group name or id, in quotes`},
		{Name: "budget.category", Type: typeString, Hint: `a pattern on the product category in quotes, e.g. "sms-*"`},
		{Name: "budget.product", Type: typeString, Hint: `a pattern on the product name in quotes, e.g. "*-Verify-*"`},
		{Name: "budget.monthly", Type: typeMoney, Hint: `an amount in quotes, e.g. "5000.00"`},
		{Name: "budget.currency", Type: typeString, Hint: `an ISO 4217 code in quotes, e.g. "USD"`},
		{Name: "budget.warn", Type: typeInts, Default: "50,80,100", Hint: `a list of whole percents, e.g. [50, 80, 100]`},
	}, serveKeys()...)
}

// boolKey is a true-or-false setting, false by default.
func boolKey(name, env, flag, usage string, dst func(*Settings) *bool) spec {
	k := spec{Name: name, Type: typeBool, Default: "false", Env: env, Flag: flag, Usage: usage, Hint: `true or false`,
		apply: func(l *loader, k *spec, src Source, v any) {
			*dst(l.s) = v.(bool)
			l.from(k.Name, src)
		},
		report: reportValue(func(s *Settings) string { return strconv.FormatBool(*dst(s)) })}
	if flag != "" {
		k.Commands = ScreenCommands // every flag of a bool key is the screen's
	}
	return k
}

// intSetting stores a typeInt key within its bounds.
func intSetting(dst func(*Settings) *int) func(*loader, *spec, Source, any) {
	return func(l *loader, k *spec, src Source, v any) {
		l.setInt(src, k.Name, v.(int64), int(k.Min), int(k.Max), dst(l.s))
	}
}

// lookup returns the key named name, or nil.
func lookup(name string) *spec {
	for i := range keys {
		if keys[i].Name == name {
			return &keys[i]
		}
	}
	return nil
}

// parent is the table a key sits in: "api" for "api.page_size", "" at the
// top level.
func parent(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return ""
}

// leaf is the key's own name within its table.
func leaf(name string) string { return name[strings.LastIndexByte(name, '.')+1:] }

// hint says what key expects, for a value of the wrong type.
func hint(name string) string {
	if k := lookup(name); k != nil {
		switch {
		case k.Type == typeTable || k.Type == typeLists:
			return "the [" + k.Name + "] table"
		case k.Hint != "":
			return k.Hint
		}
	}
	// An entry of a table of lists, such as [serve.users] alice = [...].
	if k := lookup(parent(name)); k != nil && k.Type == typeLists {
		return k.Hint
	}
	return "another type"
}

// parseText reads a setting written as text (a default, a variable, a
// flag) into the value the file decoder would give, or says what is wrong.
func (k *spec) parseText(s string) (any, string) {
	switch k.Type {
	case typeInt:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, strconv.Quote(s) + " is not a whole number; use " + strconv.FormatInt(k.Min, 10) + " to " + strconv.FormatInt(k.Max, 10)
		}
		return n, ""
	case typeFloat:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return nil, strconv.Quote(s) + " is not a number"
		}
		return f, ""
	case typeBool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, strconv.Quote(s) + " is not true or false"
		}
		return b, ""
	case typeString, typeDuration, typeDate, typeMoney:
		return s, ""
	case typeInts:
		var out []int64
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
			if err != nil {
				return nil, strconv.Quote(s) + " is not a list of whole numbers, such as 50,80,100"
			}
			out = append(out, n)
		}
		return out, ""
	}
	return nil, "cannot be given as text; set it in the config file"
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
