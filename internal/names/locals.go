package names

import (
	"go/ast"
	"go/token"
)

// Locals maps the calls, allocations and composite literals of a
// package's files to the variables they are assigned to, for messages
// that name a value by the variable the code gives it.
type Locals struct {
	single map[token.Pos]string // by a call's left parenthesis or a literal's left brace
	tuple  map[result]string    // results of a multi-value call
}

// result is result i of the multi-value call whose left parenthesis is
// at lparen.
type result struct {
	lparen token.Pos
	i      int
}

// NewLocals indexes files: x := f(), x := &T{}, var x = new(T),
// a, b := f(), g(), and a, b := f().
func NewLocals(files []*ast.File) *Locals {
	l := &Locals{single: map[token.Pos]string{}, tuple: map[result]string{}}
	note := func(lhs ast.Expr, rhs ast.Expr) {
		id, ok := lhs.(*ast.Ident)
		if !ok || id.Name == "_" {
			return
		}
		rhs = ast.Unparen(rhs)
		if u, ok := rhs.(*ast.UnaryExpr); ok && u.Op == token.AND {
			rhs = ast.Unparen(u.X)
		}
		switch r := rhs.(type) {
		case *ast.CallExpr:
			l.single[r.Lparen] = id.Name
		case *ast.CompositeLit:
			l.single[r.Lbrace] = id.Name
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i := range n.Lhs {
						note(n.Lhs[i], n.Rhs[i])
					}
				}
				if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok && len(n.Rhs) == 1 && len(n.Lhs) > 1 {
					for i, lhs := range n.Lhs {
						if id, ok := lhs.(*ast.Ident); ok && id.Name != "_" {
							l.tuple[result{call.Lparen, i}] = id.Name
						}
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == len(n.Values) {
					for i := range n.Names {
						note(n.Names[i], n.Values[i])
					}
				}
			}
			return true
		})
	}
	return l
}

// Of returns the variable that the call or literal at pos (a call's
// left parenthesis, a literal's left brace) is assigned to, or "".
func (l *Locals) Of(pos token.Pos) string { return l.single[pos] }

// Result returns the variable that result i of the multi-value call
// whose left parenthesis is at lparen is assigned to, or "".
func (l *Locals) Result(lparen token.Pos, i int) string { return l.tuple[result{lparen, i}] }
