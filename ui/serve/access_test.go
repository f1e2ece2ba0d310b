package serve

import (
	"cmp"
	"strings"
	"testing"
	"time"

	"github.com/usagetop/usagetop/ui"
)

func TestPolicyMapsKeysToGroups(t *testing.T) {
	groups := []ui.Group{{Name: "acme", ID: "commerce_billingprofile_a"}, {Name: "globex", ID: "commerce_billingprofile_g"}}
	p, err := newPolicy(groups, map[string][]string{
		"SHA256:abc":   {"globex"},
		"alice@laptop": {"acme"},
		"bob":          {"*"},
		"ops":          {"commerce_billingprofile_x", "acme"},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key  authorizedKey
		want string // group names or ids, comma separated; "" is refused
	}{
		{authorizedKey{fingerprint: "SHA256:abc", comment: "alice@laptop"}, "globex"}, // the fingerprint first
		{authorizedKey{fingerprint: "SHA256:zzz", comment: "alice@laptop"}, "acme"},
		{authorizedKey{fingerprint: "SHA256:zzz", comment: "bob@desk"}, "acme,globex"},
		{authorizedKey{fingerprint: "SHA256:zzz", comment: "ops"}, "commerce_billingprofile_x,acme"},
		{authorizedKey{fingerprint: "SHA256:zzz", comment: "carol@laptop"}, ""},
		{authorizedKey{fingerprint: "SHA256:zzz"}, ""},
	}
	for _, tt := range tests {
		gs, _ := p.groupsFor(tt.key)
		var names []string
		for _, g := range gs {
			names = append(names, cmp.Or(g.Name, g.ID))
		}
		if got := strings.Join(names, ","); got != tt.want {
			t.Errorf("%+v opens %q, want %q", tt.key, got, tt.want)
		}
	}
	demo, _ := newPolicy(groups, nil, true)
	if gs, _ := demo.groupsFor(authorizedKey{fingerprint: "SHA256:any"}); len(gs) != 2 {
		t.Errorf("demo: a key in the file opens %d groups, want every one", len(gs))
	}
}

func TestPolicyRefusesAnUnknownGroupAtStart(t *testing.T) {
	_, err := newPolicy([]ui.Group{{Name: "acme", ID: "commerce_billingprofile_a"}}, map[string][]string{"alice": {"acmee"}}, false)
	if err == nil || !strings.Contains(err.Error(), `"alice"`) || !strings.Contains(err.Error(), `"acmee"`) {
		t.Errorf("error %v, want the user and the unknown group named", err)
	}
}

func TestRateLimiterPerAddress(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	r := newRateLimiter(3, time.Minute, func() time.Time { return now })
	for i := range 3 {
		if !r.allow("10.0.0.1") {
			t.Fatalf("connection %d refused within the burst", i+1)
		}
	}
	if r.allow("10.0.0.1") {
		t.Error("a fourth connection in the same instant was let in")
	}
	if !r.allow("10.0.0.2") {
		t.Error("another address was refused")
	}
	now = now.Add(20 * time.Second) // one more connection's worth
	if !r.allow("10.0.0.1") || r.allow("10.0.0.1") {
		t.Error("after a third of the period, want exactly one more connection")
	}
}

func TestPickOpensTheAskedOrDefaultGroup(t *testing.T) {
	mine := []ui.Group{{Name: "acme", ID: "commerce_billingprofile_a"}, {Name: "globex", ID: "commerce_billingprofile_g"}}
	tests := []struct {
		asked, defaultID string
		want             string // "" means refused
	}{
		{"", "", "acme"},
		{"", "commerce_billingprofile_g", "globex"},
		{"", "commerce_billingprofile_other", "acme"},
		{"globex", "commerce_billingprofile_a", "globex"},
		{"commerce_billingprofile_g", "", "globex"},
		{"initech", "", ""},
	}
	for _, tt := range tests {
		g, err := pick(mine, tt.asked, tt.defaultID)
		if g.Name != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("pick(%q, default %q) = %q, %v; want %q", tt.asked, tt.defaultID, g.Name, err, tt.want)
		}
	}
}
