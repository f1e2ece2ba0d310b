package serve

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/log"
	"github.com/usagetop/usagetop/api"
	"github.com/usagetop/usagetop/ui"
	gossh "golang.org/x/crypto/ssh"
)

// keyring is the authorized keys file, read again whenever its size or
// modification time changes, so adding or removing a key needs no
// restart. A file that cannot be read lets nobody in.
type keyring struct {
	path string
	log  *log.Logger

	mu    sync.Mutex
	mod   time.Time
	size  int64
	keys  map[string]authorizedKey // by SHA256 fingerprint
	err   error
	known bool // the file was read at least once
}

// authorizedKey is one line of the file.
type authorizedKey struct {
	fingerprint string
	comment     string
}

func newKeyring(path string, l *log.Logger) *keyring { return &keyring{path: path, log: l} }

// lookup finds key in the file as it is now.
func (k *keyring) lookup(key gossh.PublicKey) (authorizedKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.refresh()
	if k.err != nil {
		return authorizedKey{}, k.err
	}
	ak, ok := k.keys[gossh.FingerprintSHA256(key)]
	if !ok {
		return authorizedKey{}, errUnknownKey
	}
	return ak, nil
}

var errUnknownKey = errors.New("the key is not in the authorized keys file")

// refresh reads the file again when it changed; k.mu is held.
func (k *keyring) refresh() {
	info, err := os.Stat(k.path)
	if err == nil && k.known && info.ModTime().Equal(k.mod) && info.Size() == k.size {
		return
	}
	if err == nil {
		var keys map[string]authorizedKey
		keys, err = readAuthorizedKeys(k.path, k.log)
		if err == nil {
			if k.known {
				k.log.Info("authorized keys reloaded", "path", k.path, "keys", len(keys))
			}
			k.mod, k.size, k.keys, k.err, k.known = info.ModTime(), info.Size(), keys, nil, true
			return
		}
	}
	if k.err == nil || k.err.Error() != err.Error() {
		k.log.Error("authorized keys unreadable: refusing every login until it is fixed", "path", k.path, "err", err)
	}
	k.keys, k.err, k.known = nil, fmt.Errorf("the authorized keys file cannot be read: %w", err), false
}

// readAuthorizedKeys parses an OpenSSH authorized_keys file. A line it
// cannot parse is skipped with a warning naming it; options such as
// from= are not enforced, so the file should not rely on them.
func readAuthorizedKeys(path string, l *log.Logger) (map[string]authorizedKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	keys := map[string]authorizedKey{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, comment, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			l.Warn("authorized keys: line skipped", "path", path, "line", i+1, "err", err)
			continue
		}
		fp := gossh.FingerprintSHA256(key)
		keys[fp] = authorizedKey{fingerprint: fp, comment: comment}
	}
	return keys, nil
}

// policy says which billing groups each key may open.
type policy struct {
	all   []ui.Group
	users map[string][]ui.Group
	demo  bool
}

// newPolicy resolves every Users entry against groups, and refuses a name
// that is neither a known group nor an id, so a typo fails at start and
// not when its user logs in.
func newPolicy(groups []ui.Group, users map[string][]string, demo bool) (*policy, error) {
	p := &policy{all: groups, users: map[string][]ui.Group{}, demo: demo}
	var errs []error
	for who, names := range users {
		var gs []ui.Group
		for _, name := range names {
			found, err := p.resolve(name)
			if err != nil {
				errs = append(errs, fmt.Errorf("serve.users %q: %w", who, err))
				continue
			}
			for _, g := range found {
				if !slices.Contains(gs, g) {
					gs = append(gs, g)
				}
			}
		}
		p.users[who] = gs
	}
	return p, errors.Join(errs...)
}

// resolve turns one Users entry into groups.
func (p *policy) resolve(name string) ([]ui.Group, error) {
	if name == AllGroups {
		return p.all, nil
	}
	for _, g := range p.all {
		if g.Name == name || g.ID == name {
			return []ui.Group{g}, nil
		}
	}
	if err := api.ValidateGroupID(name); err != nil {
		return nil, fmt.Errorf("%q is neither a configured billing group nor an id (%s...)", name, api.GroupIDPrefix)
	}
	return []ui.Group{{ID: name}}, nil
}

// groupsFor returns what key may open, and which Users entry said so; no
// groups means the key is refused.
func (p *policy) groupsFor(k authorizedKey) (groups []ui.Group, via string) {
	if p.demo {
		return p.all, "demo"
	}
	names := []string{k.fingerprint}
	if k.comment != "" {
		names = append(names, k.comment)
		if user, _, ok := strings.Cut(k.comment, "@"); ok && user != "" {
			names = append(names, user)
		}
	}
	for _, n := range names {
		if gs, ok := p.users[n]; ok {
			return gs, n
		}
	}
	return nil, ""
}

// pick chooses the group a session opens: the one asked for (by name or
// id) when the key may open it; with nothing asked, the server's default
// group (by id) when the key may open it, else the key's first.
func pick(groups []ui.Group, asked, defaultID string) (ui.Group, error) {
	if asked == "" {
		for _, g := range groups {
			if g.ID == defaultID {
				return g, nil
			}
		}
		return groups[0], nil
	}
	for _, g := range groups {
		if g.Name == asked || g.ID == asked {
			return g, nil
		}
	}
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = cmp.Or(g.Name, g.ID)
	}
	return ui.Group{}, fmt.Errorf("your key may not open billing group %q; it may open: %s", asked, strings.Join(names, ", "))
}
