package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"
)

// SARIF 2.1.0, the subset syncvet writes. Field names follow the
// specification (OASIS SARIF 2.1.0, errata01).
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
		Results            []sarifResult               `json:"results"`
		Invocations        []sarifInvocation           `json:"invocations"`
		ColumnKind         string                      `json:"columnKind"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level   string       `json:"level"`
		Message sarifMessage `json:"message"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		ShortDescription sarifMessage `json:"shortDescription"`
		FullDescription  sarifMessage `json:"fullDescription"`
		HelpURI          string       `json:"helpUri"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID           string            `json:"ruleId"`
		RuleIndex        int               `json:"ruleIndex"`
		Level            string            `json:"level"`
		Message          sarifMessage      `json:"message"`
		Locations        []sarifLocation   `json:"locations"`
		RelatedLocations []sarifLocation   `json:"relatedLocations,omitempty"`
		Fixes            []sarifFix        `json:"fixes,omitempty"`
		Properties       map[string]string `json:"properties,omitempty"`
	}
	sarifLocation struct {
		ID               *int                  `json:"id,omitempty"`
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
		Message          *sarifMessage         `json:"message,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           *sarifRegion     `json:"region,omitempty"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int  `json:"startLine,omitempty"`
		StartColumn int  `json:"startColumn,omitempty"`
		EndLine     int  `json:"endLine,omitempty"`
		EndColumn   int  `json:"endColumn,omitempty"`
		ByteOffset  *int `json:"byteOffset,omitempty"`
		ByteLength  *int `json:"byteLength,omitempty"`
	}
	sarifFix struct {
		Description     sarifMessage          `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
		Replacements     []sarifReplacement `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion   `json:"deletedRegion"`
		InsertedContent *sarifMessage `json:"insertedContent,omitempty"`
	}
)

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	srcRoot      = "%SRCROOT%"
	syncvetURL   = "https://github.com/syncvet/syncvet"
	analyzersDoc = "https://pkg.go.dev/github.com/syncvet/syncvet/analyzers/"
)

// writeSARIF writes the findings of t as a SARIF 2.1.0 log with one rule
// per check of as, and the packages or checks that failed as error
// notifications of an unsuccessful invocation. Paths below root are
// written relative to it, with uriBaseId %SRCROOT%, as code-scanning
// services expect.
func writeSARIF(w io.Writer, t tree, fails []failure, as []*analysis.Analyzer, root string) error {
	s := &sarifWriter{root: root, lines: make(map[string][][]byte)}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "syncvet",
			InformationURI: syncvetURL,
			Rules:          []sarifRule{},
		}},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{srcRoot: {URI: dirURI(root)}},
		Results:            []sarifResult{},
		Invocations:        []sarifInvocation{{ExecutionSuccessful: len(fails) == 0}},
		ColumnKind:         "utf16CodeUnits",
	}
	for _, f := range fails {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{f.pkg + ": " + f.msg}})
	}
	index := make(map[string]int)
	for _, a := range as {
		index[a.Name] = len(run.Tool.Driver.Rules)
		help := a.URL
		if help == "" {
			help = analyzersDoc + strings.ToLower(a.Name)
		}
		doc := strings.TrimSpace(a.Doc)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:               a.Name,
			ShortDescription: sarifMessage{title(doc)},
			FullDescription:  sarifMessage{doc},
			HelpURI:          help,
		})
	}

	for _, pkg := range sortedKeys(t) {
		byName := t[pkg]
		for _, name := range sortedKeys(byName) {
			for _, d := range byName[name] {
				i, ok := index[name]
				if !ok {
					// A check the driver does not know: add a bare rule.
					i = len(run.Tool.Driver.Rules)
					index[name] = i
					run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
						ID: name, ShortDescription: sarifMessage{name}, FullDescription: sarifMessage{name},
						HelpURI: syncvetURL,
					})
				}
				r := sarifResult{
					RuleID:    name,
					RuleIndex: i,
					Level:     "warning",
					Message:   sarifMessage{d.Message},
					Locations: []sarifLocation{s.location(d.Posn, d.End)},
				}
				if d.Category != "" {
					r.Properties = map[string]string{"category": d.Category}
				}
				for j, rel := range d.Related {
					loc := s.location(rel.Posn, rel.End)
					id := j + 1
					loc.ID = &id
					loc.Message = &sarifMessage{rel.Message}
					r.RelatedLocations = append(r.RelatedLocations, loc)
				}
				for _, raw := range d.SuggestedFixes {
					if f, ok := s.fix(raw); ok {
						r.Fixes = append(r.Fixes, f)
					}
				}
				run.Results = append(run.Results, r)
			}
		}
	}
	sort.SliceStable(run.Results, func(i, j int) bool {
		a, b := run.Results[i].Locations[0].PhysicalLocation, run.Results[j].Locations[0].PhysicalLocation
		if a.ArtifactLocation.URI != b.ArtifactLocation.URI {
			return a.ArtifactLocation.URI < b.ArtifactLocation.URI
		}
		if a.Region != nil && b.Region != nil && a.Region.StartLine != b.Region.StartLine {
			return a.Region.StartLine < b.Region.StartLine
		}
		return false
	})

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sarifWriter turns go/analysis positions into SARIF locations; it reads
// the files it names to give columns in UTF-16 code units.
type sarifWriter struct {
	root  string
	lines map[string][][]byte
}

// artifact returns the location of file: relative to %SRCROOT% when it
// lies below the root, an absolute file URI otherwise.
func (s *sarifWriter) artifact(file string) sarifArtifactLoc {
	abs := file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(s.root, file)
	}
	if rel, err := filepath.Rel(s.root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		u := url.URL{Path: filepath.ToSlash(rel)}
		return sarifArtifactLoc{URI: u.EscapedPath(), URIBaseID: srcRoot}
	}
	return sarifArtifactLoc{URI: fileURI(abs)}
}

// location converts "file:line:col" start and end positions.
func (s *sarifWriter) location(posn, end string) sarifLocation {
	file, line, col := splitPosn(posn)
	loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: s.artifact(file)}}
	if line <= 0 {
		return loc
	}
	r := &sarifRegion{StartLine: line}
	if col > 0 {
		r.StartColumn = s.column(file, line, col)
	}
	if efile, eline, ecol := splitPosn(end); efile == file && eline >= line && ecol > 0 {
		r.EndLine = eline
		r.EndColumn = s.column(file, eline, ecol)
		if eline == line && r.EndColumn < r.StartColumn {
			r.EndColumn = r.StartColumn
		}
	}
	loc.PhysicalLocation.Region = r
	return loc
}

// column converts a 1-based byte column into a 1-based UTF-16 column.
func (s *sarifWriter) column(file string, line, col int) int {
	lines, ok := s.lines[file]
	if !ok {
		data, err := os.ReadFile(file)
		if err == nil {
			lines = bytes.Split(data, []byte("\n"))
		}
		s.lines[file] = lines
	}
	if line > len(lines) {
		return col
	}
	b := lines[line-1]
	if col-1 > len(b) {
		return col
	}
	n := 1
	for _, r := range string(b[:col-1]) {
		if r == utf8.RuneError {
			n++
			continue
		}
		n += len(utf16.Encode([]rune{r}))
	}
	return n
}

// fix converts one suggested fix in the x/tools JSON form.
func (s *sarifWriter) fix(raw json.RawMessage) (sarifFix, bool) {
	var f struct {
		Message string `json:"message"`
		Edits   []struct {
			Filename string `json:"filename"`
			Start    int    `json:"start"`
			End      int    `json:"end"`
			New      string `json:"new"`
		} `json:"edits"`
	}
	if err := json.Unmarshal(raw, &f); err != nil || len(f.Edits) == 0 {
		return sarifFix{}, false
	}
	out := sarifFix{Description: sarifMessage{f.Message}}
	byFile := make(map[string]int)
	for _, e := range f.Edits {
		i, ok := byFile[e.Filename]
		if !ok {
			i = len(out.ArtifactChanges)
			byFile[e.Filename] = i
			out.ArtifactChanges = append(out.ArtifactChanges, sarifArtifactChange{ArtifactLocation: s.artifact(e.Filename)})
		}
		off, n := e.Start, e.End-e.Start
		rep := sarifReplacement{DeletedRegion: sarifRegion{ByteOffset: &off, ByteLength: &n}}
		if e.New != "" {
			rep.InsertedContent = &sarifMessage{e.New}
		}
		out.ArtifactChanges[i].Replacements = append(out.ArtifactChanges[i].Replacements, rep)
	}
	return out, true
}

// fileURI returns the file URI of an absolute path.
func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows drive letter
	}
	u := url.URL{Scheme: "file", Path: p}
	return u.String()
}

// dirURI returns the file URI of a directory, ending in a slash as
// SARIF requires of a base URI.
func dirURI(abs string) string {
	u := fileURI(abs)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}
