package state

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/usagetop/usagetop/api"
)

// Defaults for every setting, as documented in config.example.toml. The
// API ones are the api package's, so a zero api.Config and the defaults agree.
const (
	ConfigDefaultBaseURL        = api.DefaultBaseURL
	ConfigDefaultTokenURL       = api.DefaultTokenURL
	ConfigDefaultPageSize       = 500
	ConfigDefaultRequestTimeout = api.DefaultRequestTimeout
	ConfigDefaultMaxRetries     = api.DefaultMaxAttempts - 1
	ConfigDefaultMaxRetryTime   = api.DefaultMaxRetryTime
	ConfigDefaultThreshold      = 3.5
	ConfigDefaultMinImpact      = "5"
	ConfigDefaultMinPercent     = 30.0
	ConfigDefaultLookbackDays   = 28
	ConfigDefaultMinHistoryDays = 14
	ConfigDefaultAutoloadPages  = 20
)

// ConfigEnvPath names the environment variable that points at the config
// file when --config is not given.
const ConfigEnvPath = "USAGETOP_CONFIG"

// Environment variables read by LoadSettings, over the file and under flags.
const (
	ConfigEnvClientID = "TWILIO_CLIENT_ID"
	ConfigEnvNoColor  = "NO_COLOR"
	ConfigEnvBaseURL  = "USAGETOP_BASE_URL"
	ConfigEnvTokenURL = "USAGETOP_TOKEN_URL"
	ConfigEnvGroup    = "USAGETOP_GROUP"
)

// Settings is the resolved configuration: defaults, then the config file,
// then the environment, then flags. It holds no secret value: the client
// secret is described by Auth.Secret and resolved on demand, and an inline
// secret is an api.Secret that prints as "[redacted]".
type Settings struct {
	// Path is the config file that was read; empty when none was.
	Path string
	// DefaultPath is where a config file is looked for when none is named;
	// empty when the user config directory is unknown. Used in help text.
	DefaultPath string

	// Groups are the named billing groups, in file order.
	Groups []Group

	Auth    SettingsAuth
	API     SettingsAPI
	Query   SettingsQuery
	Anomaly SettingsAnomaly
	UI      SettingsUI

	// sources records where each setting came from, by report key.
	sources map[string]Source
	// getenv is the environment the settings were loaded from, kept so the
	// secret is resolved against the same one.
	getenv func(string) string
	// pathNote explains which config file was looked for and why it was or
	// was not read.
	pathNote string
}

// Group is a named billing group.
type Group struct {
	// Name is how the user refers to it (--group, the picker); may be empty
	// when a group was given by id only.
	Name string
	// ID is the billing group id, commerce_billingprofile_...
	ID string
}

// SettingsAuth holds the OAuth client credentials' sources.
type SettingsAuth struct {
	// ClientID is the OAuth client id (not a secret).
	ClientID string
	// Secret says where the client secret comes from; TWILIO_CLIENT_SECRET
	// always wins when set.
	Secret api.SecretSource
}

// SettingsAPI configures the HTTP client.
type SettingsAPI struct {
	BaseURL        string
	TokenURL       string
	PageSize       int
	RequestTimeout time.Duration
	// MaxRetries is how many times a failed request is retried (0: never).
	MaxRetries int
	// MaxRetryTime bounds the total time spent retrying one request.
	MaxRetryTime time.Duration
}

// SettingsQuery is the query the dashboard opens with.
type SettingsQuery struct {
	// Group is the selected billing group; zero when none is configured.
	Group Group
	// Period is set unless a custom range (From, To) is.
	Period api.TimePeriod
	From   api.Date
	To     api.Date
	// Category is one product category, or empty for all.
	Category    string
	Aggregation api.Aggregation
}

// SettingsAnomaly holds the anomaly detector's thresholds.
type SettingsAnomaly struct {
	// Threshold is the robust z-score a day must pass.
	Threshold float64
	// MinImpact is the smallest change in money worth flagging.
	MinImpact decimal.Decimal
	// MinPercent is the smallest change in percent worth flagging.
	MinPercent float64
	// LookbackDays is how much history the baseline uses.
	LookbackDays int
	// MinHistoryDays is the least history a day needs to be judged.
	MinHistoryDays int
}

// SettingsUI holds display options.
type SettingsUI struct {
	// AutoloadPages is how many pages the Products and Anomalies views load
	// in the background before waiting for the user.
	AutoloadPages int
	NoColor       bool
	ASCII         bool
	Mouse         bool
}

// settingsDefaults returns the built-in settings, every source "default".
func settingsDefaults() *Settings {
	return &Settings{
		API: SettingsAPI{
			BaseURL:        ConfigDefaultBaseURL,
			TokenURL:       ConfigDefaultTokenURL,
			PageSize:       ConfigDefaultPageSize,
			RequestTimeout: ConfigDefaultRequestTimeout,
			MaxRetries:     ConfigDefaultMaxRetries,
			MaxRetryTime:   ConfigDefaultMaxRetryTime,
		},
		Auth: SettingsAuth{Secret: api.SecretSource{Timeout: api.DefaultSecretCommandTimeout}},
		Query: SettingsQuery{
			Period:      api.ThisMonth,
			Aggregation: api.Daily,
		},
		Anomaly: SettingsAnomaly{
			Threshold:      ConfigDefaultThreshold,
			MinImpact:      decimal.RequireFromString(ConfigDefaultMinImpact),
			MinPercent:     ConfigDefaultMinPercent,
			LookbackDays:   ConfigDefaultLookbackDays,
			MinHistoryDays: ConfigDefaultMinHistoryDays,
		},
		UI:      SettingsUI{AutoloadPages: ConfigDefaultAutoloadPages},
		sources: map[string]Source{},
	}
}

// APIConfig returns the api.Config these settings describe, with the
// client secret the caller resolved (ResolveSecret). api.Config counts
// attempts, the first included; the config file counts retries.
func (s *Settings) APIConfig(clientSecret string) api.Config {
	return api.Config{
		BaseURL:        s.API.BaseURL,
		TokenURL:       s.API.TokenURL,
		ClientID:       s.Auth.ClientID,
		ClientSecret:   clientSecret,
		RequestTimeout: s.API.RequestTimeout,
		MaxAttempts:    s.API.MaxRetries + 1,
		MaxRetryTime:   s.API.MaxRetryTime,
	}
}

// DetectorConfig is the anomaly detector's configuration with the
// thresholds of the [anomaly] table.
func (s *Settings) DetectorConfig() DetectorConfig {
	cfg := DefaultDetectorConfig()
	cfg.Threshold = s.Anomaly.Threshold
	cfg.MinImpact = s.Anomaly.MinImpact
	cfg.MinPercent = s.Anomaly.MinPercent
	cfg.LookbackDays = s.Anomaly.LookbackDays
	cfg.MinHistoryDays = s.Anomaly.MinHistoryDays
	return cfg
}
