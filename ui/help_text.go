package ui

// helpTerm is one figure or mark the help screen explains.
type helpTerm struct {
	term, meaning string
}

// helpTerms explains what the current screen shows: the figures and
// marks of the view (or of the detail), in words a finance reader uses.
func (m *Model) helpTerms() []helpTerm {
	g := m.theme.glyphs
	marks := helpTerm{g.Cursor + " " + g.Above + " " + g.Below, "the selected row; rows hidden above or below. The status bar says which row of how many (12/58)"}
	if m.detailOpen {
		return []helpTerm{
			{"chart", "the product's cost per whole day, from zero; each column shows its highest day, so a one-day spike is drawn at its value; " + string(markRune(m.theme.ascii)) + " marks an anomaly day"},
			{"days", "the cost of each day, newest first; " + g.Anomaly + " marks an anomaly day, " + g.NoData + " a day not complete yet"},
			{"last 7 days", "the 7 whole days to the last one, against the 7 before"},
			{"run-rate", "the month so far plus the mean of the last 7 days for each day left: an estimate"},
		}
	}
	switch m.current().(type) {
	case *productsView:
		return []helpTerm{
			{"Cost", "what the product cost over the period (an estimate until invoiced)"},
			{"Share", "the product's part of the period's total cost"},
			{"Change", "the cost against the previous period of the same kind: a month against the month before, a month to date against the same days of the month before, a range against as many days just before; 'new' when there was no cost before"},
			{g.Anomaly, "the product has anomaly days: see the Anomalies view, or enter for its chart"},
			{"Trend", "the daily cost, from zero at the bottom to the row's highest day at the top, so a steady charge reads level; " + g.NoData + " is a day not loaded or not complete yet, not a fall"},
			marks,
		}
	case *recordsView:
		return []helpTerm{
			{"Usage, Cost", "each record as the API sent it, exact; costs line up on their decimal places"},
			{"G", "goes to the last row, loading every page first"},
			marks,
		}
	case *anomaliesView:
		return []helpTerm{
			{"Actual, Expected", "the day's cost, and what the product's own history (its weekday shape) led to expect"},
			{"Impact", "actual minus expected, in money"},
			{"Change", "actual against expected, in percent"},
			{"Score", "how far the day is from usual, in the product's own robust standard deviations (higher is stranger; 99 at most)"},
			marks,
		}
	}
	return []helpTerm{marks}
}
