package config

import (
	"fmt"
	"testing"
	"time"
)

func TestServeSettings(t *testing.T) {
	const fp = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"
	s, _ := configTestMustLoad(t, configTestEnv{doc: configGoldenIDs +
		"[serve]\nauthorized_keys = \"/etc/usagetop/keys\"\nmax_session = \"2h\"\n" +
		"[serve.users]\nalice = [\"a\", \"b\"]\n\"" + fp + "\" = [\"" + configTestID2 + "\"]\n"})
	want := Serve{Addr: ":2222", AuthorizedKeys: "/etc/usagetop/keys", MaxSessions: 32, IdleTimeout: 15 * time.Minute,
		MaxSession: 2 * time.Hour, ConnRate: 10}
	got := s.Serve
	got.Users = nil
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Serve = %+v, want %+v", got, want)
	}
	for _, tt := range []struct {
		fingerprint, name string
		want              string
	}{
		{fp, "alice", "[" + configTestID2 + "] true"}, // the fingerprint wins
		{"SHA256:other", "alice", "[a b] true"},
		{"", "alice", "[a b] true"},
		{"SHA256:other", "mallory", "[] false"},
		{"", "", "[] false"},
	} {
		g, ok := s.Serve.GroupsFor(tt.fingerprint, tt.name)
		if got := fmt.Sprint(g, " ", ok); got != tt.want {
			t.Errorf("GroupsFor(%q, %q) = %s, want %s", tt.fingerprint, tt.name, got, tt.want)
		}
	}
}

// TestServeFlags: serve's flags come from the same table, and only serve
// registers them.
func TestServeFlags(t *testing.T) {
	fs := testFlagSet(ServeCommand)
	if err := fs.Parse([]string{"--addr", "127.0.0.1:2022", "--authorized-keys", "/k"}); err != nil {
		t.Fatal(err)
	}
	s, err := Load(t.Context(), LoadOptions{Flags: fs, Getenv: func(string) string { return "" }, UserConfigDir: func() (string, error) { return t.TempDir(), nil }})
	if err != nil {
		t.Fatal(err)
	}
	if s.Serve.Addr != "127.0.0.1:2022" || s.Serve.AuthorizedKeys != "/k" || s.sources["serve.addr"].String() != "flag --addr" {
		t.Errorf("serve = %+v from %s", s.Serve, s.sources["serve.addr"])
	}
	if q := testFlagSet(QueryCommands | ScreenCommands); q.Lookup("addr") != nil || q.Lookup("group") == nil {
		t.Error("the dashboard's flags and serve's are mixed up")
	}
	// serve may take the query flags too: registering twice does not panic.
	both := testFlagSet(ServeCommand)
	RegisterFlags(both, QueryCommands|ServeCommand)
	if both.Lookup("addr") == nil || both.Lookup("period") == nil {
		t.Error("RegisterFlags(QueryCommands|ServeCommand) lacks a flag")
	}
}
