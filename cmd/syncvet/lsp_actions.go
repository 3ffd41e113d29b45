package main

import (
	"strings"

	"go.lsp.dev/protocol"
)

// codeActions returns the quick fixes for the findings on the lines of
// the request's range, or named in its context: each suggested fix of
// the finding, then the action that silences it with //syncvet:ignore.
// The edits were computed from the files as analysed, that is, as last
// saved.
func (s *lspServer) codeActions(p *protocol.CodeActionParams) []protocol.CodeAction {
	actions := []protocol.CodeAction{}
	if !wantsQuickFix(p.Context.Only) {
		return actions
	}
	path, ok := uriPath(p.TextDocument.URI)
	if !ok {
		return actions
	}
	s.mu.Lock()
	findings := s.findings[path]
	s.mu.Unlock()
	for _, f := range findings {
		if f.check == "" || !f.matches(p) {
			continue
		}
		for i, fx := range f.fixes {
			actions = append(actions, protocol.CodeAction{
				Title:       fx.title,
				Kind:        protocol.QuickFix,
				Diagnostics: []protocol.Diagnostic{f.diag},
				IsPreferred: i == 0,
				Edit:        &protocol.WorkspaceEdit{Changes: fx.edits},
			})
		}
		if f.ignore != nil {
			actions = append(actions, protocol.CodeAction{
				Title:       "Silence " + f.check + " here with //syncvet:ignore " + f.check + " (then write the reason)",
				Kind:        protocol.QuickFix,
				Diagnostics: []protocol.Diagnostic{f.diag},
				Edit: &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{
					p.TextDocument.URI: {*f.ignore},
				}},
			})
		}
	}
	return actions
}

// wantsQuickFix reports whether a request's "only" kinds admit quick
// fixes.
func wantsQuickFix(only []protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, k := range only {
		if k == "" || k == protocol.QuickFix || strings.HasPrefix(string(protocol.QuickFix), string(k)+".") {
			return true
		}
	}
	return false
}

// matches reports whether a finding is on the lines of the request's
// range or is one of the diagnostics of its context.
func (f *lspFinding) matches(p *protocol.CodeActionParams) bool {
	r := f.diag.Range
	if r.Start.Line <= p.Range.End.Line && r.End.Line >= p.Range.Start.Line {
		return true
	}
	for _, d := range p.Context.Diagnostics {
		if d.Message == f.diag.Message && d.Range.Start == r.Start {
			return true
		}
	}
	return false
}
