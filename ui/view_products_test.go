package ui

import (
	"strings"
	"testing"

	"github.com/usagetop/usagetop/api"
)

// TestProductsHugeCostAndTrendDates: a cost of 1e20 is abbreviated, not
// cut in the middle of its digits, a credit's share never reads -0.0%,
// and the trend's title says which days it covers.
func TestProductsHugeCostAndTrendDates(t *testing.T) {
	feb1 := api.NewDate(2025, 2, 1)
	recs := append(dayRecords("Huge-Fee", feb1, []string{"100000000000000000000"}), dayRecords("Credit", feb1, []string{"-0.01"})...)
	m := loaded(t, testOptions(newPagedFetcher(recs, 100)), 120, 20)
	v := screen(m)
	if !strings.Contains(v, "$1.0e20") {
		t.Errorf("the 1e20 cost is not abbreviated whole:\n%s", v)
	}
	if strings.Contains(v, "-0.0%") {
		t.Errorf("a share reads -0.0%%:\n%s", v)
	}
	if !strings.Contains(v, "Trend 02-01..02-28") {
		t.Errorf("the trend's title lacks its dates:\n%s", v)
	}
}
