package fakeapi

import "github.com/usagetop/usagetop/api"

// Group is a billing group the simulated server knows.
type Group struct {
	ID       string
	Name     string
	Currency string
}

// Generator makes the demo data: a few billing groups with realistic
// products, deterministic for a seed and a today.
type Generator struct {
	seed  int64
	today api.Date
}

// NewGenerator returns the generator for seed with today as the last day
// of data (also asOf).
func NewGenerator(seed int64, today api.Date) *Generator {
	return &Generator{seed: seed, today: today}
}

// Groups lists the demo billing groups.
func (g *Generator) Groups() []Group { return nil }

// AsOf is the freshness watermark: today.
func (g *Generator) AsOf() api.Date { return g.today }

// Records returns the records of groupID over start..end (inclusive),
// ordered by date then product name; false for an unknown group.
func (g *Generator) Records(groupID string, start, end api.Date, agg api.Aggregation, category string) ([]api.Record, bool) {
	return nil, false
}

// Anomalies lists the events injected into groupID's data.
func (g *Generator) Anomalies(groupID string) []Anomaly { return nil }
