package config

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/state"
)

// envPath names the environment variable that points at the config file
// when --config is not given.
const envPath = "USAGETOP_CONFIG"

// envClientID is the environment variable holding the OAuth client id.
const envClientID = "TWILIO_CLIENT_ID"

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

	Auth    Auth
	API     API
	Query   Query
	Anomaly Anomaly
	UI      UI
	// Budgets are the [[budget]] entries, in file order.
	Budgets []Budget
	// Serve configures usagetop serve.
	Serve Serve

	// warnings are what config check points out without refusing.
	warnings []string
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

// Auth holds the OAuth client credentials' sources.
type Auth struct {
	// ClientID is the OAuth client id (not a secret).
	ClientID string
	// Secret says where the client secret comes from; TWILIO_CLIENT_SECRET
	// always wins when set.
	Secret api.SecretSource
}

// API configures the HTTP client.
type API struct {
	BaseURL        string
	TokenURL       string
	PageSize       int
	RequestTimeout time.Duration
	// MaxRetries is how many times a failed request is retried (0: never).
	MaxRetries int
	// MaxRetryTime bounds the total time spent retrying one request.
	MaxRetryTime time.Duration
}

// Query is the query the dashboard opens with.
type Query struct {
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

// Anomaly holds the anomaly detector's thresholds.
type Anomaly struct {
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

// UI holds display options.
type UI struct {
	// AutoloadPages is how many pages the Products and Anomalies views load
	// in the background before waiting for the user.
	AutoloadPages int
	// RefreshDays are the last days refetched on reopening even when the
	// snapshot store holds them: figures are estimates until invoiced.
	RefreshDays int
	NoColor     bool
	ASCII       bool
	Mouse       bool
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
func (s *Settings) DetectorConfig() state.DetectorConfig {
	cfg := state.DefaultDetectorConfig()
	cfg.Threshold = s.Anomaly.Threshold
	cfg.MinImpact = s.Anomaly.MinImpact
	cfg.MinPercent = s.Anomaly.MinPercent
	cfg.LookbackDays = s.Anomaly.LookbackDays
	cfg.MinHistoryDays = s.Anomaly.MinHistoryDays
	return cfg
}
