package fakeapi

import "github.com/usagetop/usagetop/api"

// AnomalyKind says what happened to a product's daily cost.
type AnomalyKind string

// Anomaly kinds the generator injects.
const (
	KindSpike AnomalyKind = "spike"
	KindDrop  AnomalyKind = "drop"
	KindStep  AnomalyKind = "step"
	KindNew   AnomalyKind = "new"
	KindStop  AnomalyKind = "stop"
)

// String returns the kind's name.
func (k AnomalyKind) String() string { return string(k) }

// Anomaly is one event in the generated data that a detector should flag.
type Anomaly struct {
	ProductName     string
	ProductCategory string
	Kind            AnomalyKind
	Start, End      api.Date
	Note            string
}
