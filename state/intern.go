package state

// interner gives each distinct string a small id and keeps one copy of it,
// so a hundred thousand records naming three hundred products hold three
// hundred strings, and the strings the decoder allocated per record can be
// collected.
type interner struct {
	ids  map[string]uint32
	strs []string
}

// id returns s's id, adding s on first sight.
func (in *interner) id(s string) uint32 {
	if id, ok := in.ids[s]; ok {
		return id
	}
	if in.ids == nil {
		in.ids = make(map[string]uint32)
	}
	id := uint32(len(in.strs))
	in.strs = append(in.strs, s)
	in.ids[s] = id
	return id
}

// str returns the string with id.
func (in *interner) str(id uint32) string { return in.strs[id] }
