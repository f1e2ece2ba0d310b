package ui

import (
	"strings"

	"github.com/muesli/termenv"
)

// TerminalProfile decides how the dashboard draws on a terminal: whether
// it is monochrome, and the colour profile its renderer must use.
//
// termenv reports the Ascii profile (no attributes at all: no reverse
// video, no bold) both for NO_COLOR and for terminals it does not know to
// have colour, such as TERM=screen or vt100, where the selection would
// then be invisible. Those terminals do have bold, underline and reverse
// video, and NO_COLOR asks only for no colour: so a monochrome screen is
// drawn with the ANSI profile, whose monochrome styles hold no colour.
// Only TERM=dumb (or no TERM) stays Ascii; the cursor glyphs carry the
// selection there. NO_COLOR and --no-color are then the same screen.
//
// noColorFlag is --no-color; noColorEnv is whether NO_COLOR is set (and
// not empty); detected is the renderer's own profile.
func TerminalProfile(term string, noColorFlag, noColorEnv bool, detected termenv.Profile) (noColor bool, profile termenv.Profile) {
	noColor = noColorFlag || noColorEnv || detected == termenv.Ascii
	if !noColor {
		return false, detected
	}
	if t := strings.ToLower(term); t == "" || t == "dumb" {
		return true, termenv.Ascii
	}
	if detected == termenv.Ascii {
		return true, termenv.ANSI
	}
	return true, detected
}
