package ui

import (
	"encoding/base64"
	"io"
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// osc52Payload decodes the text of the one OSC 52 sequence in s.
func osc52Payload(t *testing.T, s string) string {
	t.Helper()
	const start = "\x1b]52;c;"
	i := strings.Index(s, start)
	if i < 0 {
		t.Fatalf("no OSC 52 sequence in %q", s)
	}
	body := s[i+len(start):]
	end := strings.IndexAny(body, "\a\x1b")
	if end < 0 {
		t.Fatalf("unterminated OSC 52 sequence in %q", s)
	}
	text, err := base64.StdEncoding.DecodeString(body[:end])
	if err != nil {
		t.Fatalf("OSC 52 payload: %v", err)
	}
	return string(text)
}

// pressExport presses e, runs the export and hands its result back to
// the model, as the program would.
func pressExport(t *testing.T, m Model) (Model, exportedMsg) {
	t.Helper()
	tm, cmd := m.Update(keyMsg("e"))
	out := make(chan tea.Msg, 8)
	runCmd(cmd, out)
	done := waitFor[exportedMsg](out)
	tm, _ = tm.(Model).Update(done)
	return tm.(Model), done
}

func TestExportToClipboardWritesNoFile(t *testing.T) {
	dir := t.TempDir()
	var clip strings.Builder
	opts := testOptions(newPagedFetcher(fixtureRecords(10), 1000))
	opts.ExportDir = dir
	opts.ExportToClipboard = true
	opts.Clipboard = &clip
	m, done := pressExport(t, press(t, loaded(t, opts, 120, 30), "/", "verify", "enter"))
	if done.err != nil || done.rows != 2 {
		t.Fatalf("export: %+v", done)
	}
	if v := ansi.Strip(m.statusView()); !strings.Contains(v, "exported 2 rows to your clipboard") {
		t.Errorf("status %q, want it to say the rows went to the clipboard", v)
	}
	lines := strings.Split(strings.TrimSpace(osc52Payload(t, clip.String())), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "product_name,") || !strings.HasPrefix(lines[1], "Verify-WhatsApp,") {
		t.Errorf("clipboard CSV:\n%s", strings.Join(lines, "\n"))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("export wrote %d files to disk, want none", len(entries))
	}
}

func TestExportToClipboardRefusesWhatATerminalWouldDrop(t *testing.T) {
	var clip strings.Builder
	big := func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Repeat("x", 3*MaxClipboardExport))
		return err
	}
	msg := clipboardExportCmd(&clip, 5000, big)().(exportedMsg)
	if msg.err == nil || !strings.Contains(msg.err.Error(), "192 KB") || !strings.Contains(msg.err.Error(), "usagetop export") {
		t.Errorf("error %v, want the size and `usagetop export` as the way out", msg.err)
	}
	if clip.Len() != 0 {
		t.Errorf("a refused export still wrote %d bytes to the terminal", clip.Len())
	}
	if msg := clipboardExportCmd(nil, 1, big)().(exportedMsg); msg.err == nil {
		t.Error("with no terminal the export claimed success")
	}
}
