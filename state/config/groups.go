package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/usagetop/usagetop/api"
)

// applyGroups reads the [[groups]] tables: each needs a unique name and a
// valid id.
func (l *loader) applyGroups(entries []map[string]any) {
	seen := map[string]int{}
	doc := l.doc
	for i, e := range entries {
		at := "groups[" + strconv.Itoa(i) + "]"
		src := doc.source(at)
		nameSrc, idSrc := src, src
		if doc.lines[at+".name"] > 0 {
			nameSrc = doc.source(at + ".name")
		}
		if doc.lines[at+".id"] > 0 {
			idSrc = doc.source(at + ".id")
		}
		name, hasName := e["groups.name"].(string)
		id, _ := e["groups.id"].(string)
		ok := true
		switch {
		case !hasName || strings.TrimSpace(name) == "":
			l.bad(nameSrc, "groups.name", "group %d has no name; add name = \"...\" (what you will type for --group)", i+1)
			ok = false
		case strings.HasPrefix(name, api.GroupIDPrefix):
			l.bad(nameSrc, "groups.name", "a group name cannot start with %s (that is how ids start); put the id in id = \"...\" and give the group a short name", api.GroupIDPrefix)
			ok = false
		case hasControl(name):
			l.bad(nameSrc, "groups.name", "group name %q holds control characters", name)
			ok = false
		default:
			k := strings.ToLower(name)
			if j, dup := seen[k]; dup {
				l.bad(nameSrc, "groups.name", "group name %q is used twice (also by group %d); names must be unique", name, j+1)
				ok = false
			}
			seen[k] = i
		}
		if id == "" {
			l.bad(idSrc, "groups.id", "group %d has no id; add id = \"%s...\"", i+1, api.GroupIDPrefix)
			ok = false
		} else if err := api.ValidateGroupID(id); err != nil {
			l.bad(idSrc, "groups.id", "%s", reason(err))
			ok = false
		}
		if ok {
			l.s.Groups = append(l.s.Groups, Group{Name: name, ID: id})
			l.from("groups["+strconv.Itoa(len(l.s.Groups)-1)+"]", src)
		}
	}
}

// FindGroup looks up a billing group by configured name (exact, else
// case-insensitive) or by id. An id that is not configured is returned with
// no name; an unknown name is an error listing the configured names.
func (s *Settings) FindGroup(nameOrID string) (Group, error) {
	v := strings.TrimSpace(nameOrID)
	if strings.HasPrefix(v, api.GroupIDPrefix) {
		if err := api.ValidateGroupID(v); err != nil {
			return Group{}, errors.New(reason(err))
		}
		for _, g := range s.Groups {
			if g.ID == v {
				return g, nil
			}
		}
		return Group{ID: v}, nil
	}
	for _, g := range s.Groups {
		if g.Name == v {
			return g, nil
		}
	}
	var folded []Group
	for _, g := range s.Groups {
		if strings.EqualFold(g.Name, v) {
			folded = append(folded, g)
		}
	}
	if len(folded) == 1 {
		return folded[0], nil
	}
	if v == "" {
		return Group{}, fmt.Errorf("no billing group given; use a configured name (%s) or an id starting with %s", s.groupNames(), api.GroupIDPrefix)
	}
	if len(s.Groups) == 0 {
		where := "the config file"
		if p := s.pathForHelp(); p != "" {
			where = p
		}
		return Group{}, fmt.Errorf("unknown billing group %q: no groups are configured; give an id starting with %s, or add a [[groups]] table with name and id to %s", v, api.GroupIDPrefix, where)
	}
	return Group{}, fmt.Errorf("unknown billing group %q; configured groups: %s (or give an id starting with %s)", v, s.groupNames(), api.GroupIDPrefix)
}

func (s *Settings) groupNames() string {
	if len(s.Groups) == 0 {
		return "none"
	}
	names := make([]string, len(s.Groups))
	for i, g := range s.Groups {
		names[i] = g.Name
	}
	return strings.Join(names, ", ")
}

// pathForHelp is the file the user should edit.
func (s *Settings) pathForHelp() string {
	if s.Path != "" {
		return s.Path
	}
	return s.DefaultPath
}

// ReplaceGroups swaps in another set of billing groups, such as the demo
// server's, and selects one of them: nameOrID (a --group value) when not
// empty, else the first. Load with DeferGroup leaves --group for this.
// Budgets naming a group are bound to the new groups of that name.
func (s *Settings) ReplaceGroups(groups []Group, nameOrID string) error {
	s.Groups = append([]Group(nil), groups...)
	for k := range s.sources {
		if strings.HasPrefix(k, "groups[") {
			delete(s.sources, k)
		}
	}
	for i := range s.Budgets {
		s.Budgets[i].GroupID = s.budgetGroupID(s.Budgets[i].Group)
	}
	s.Query.Group = Group{}
	if nameOrID == "" {
		if len(s.Groups) > 0 {
			s.Query.Group = s.Groups[0]
		}
		s.sources["group"] = Source{}
		return nil
	}
	g, err := s.FindGroup(nameOrID)
	if err != nil {
		return &Error{Source: Source{Kind: SourceFlag, Name: "group"}, Key: "group", Msg: err.Error()}
	}
	s.Query.Group = g
	s.sources["group"] = Source{Kind: SourceFlag, Name: "group"}
	return nil
}
