package blocking

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// indexSyntax maps the positions SSA gives blocking instructions to
// their syntax: a receive's arrow, a send's arrow, a call's left
// parenthesis and a range statement's for keyword.
func indexSyntax(files []*ast.File) map[token.Pos]ast.Node {
	m := map[token.Pos]ast.Node{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					m[n.OpPos] = n
				}
			case *ast.SendStmt:
				m[n.Arrow] = n
			case *ast.CallExpr:
				m[n.Lparen] = n
			case *ast.RangeStmt:
				m[n.For] = n
			}
			return true
		})
	}
	return m
}

// chanName renders the channel of the operation at pos in Go syntax.
func (a *analyzer) chanName(pos token.Pos, v ssa.Value) string {
	switch n := a.nodes[pos].(type) {
	case *ast.UnaryExpr:
		return types.ExprString(n.X)
	case *ast.SendStmt:
		return types.ExprString(n.Chan)
	case *ast.RangeStmt:
		return types.ExprString(n.X)
	}
	return valueName(v, "a channel")
}

// callName renders the called function of the call at pos in Go syntax,
// or falls back to the callee's name.
func (a *analyzer) callName(call *ssa.CallCommon, callee string) string {
	if n, ok := a.nodes[call.Pos()].(*ast.CallExpr); ok {
		return types.ExprString(n.Fun)
	}
	return callee
}

// valueName renders simple SSA values (parameters, globals, free
// variables and field paths over them) in Go syntax, or returns def.
func valueName(v ssa.Value, def string) string {
	switch x := v.(type) {
	case *ssa.Parameter:
		return x.Name()
	case *ssa.FreeVar:
		return x.Name()
	case *ssa.Global:
		return x.Name()
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return valueName(x.X, def)
		}
	case *ssa.FieldAddr:
		if base := valueName(x.X, ""); base != "" {
			if st, ok := deref(x.X.Type()).Underlying().(*types.Struct); ok {
				return base + "." + st.Field(x.Field).Name()
			}
		}
	case *ssa.Field:
		if base := valueName(x.X, ""); base != "" {
			if st, ok := x.X.Type().Underlying().(*types.Struct); ok {
				return base + "." + st.Field(x.Field).Name()
			}
		}
	case *ssa.ChangeType:
		return valueName(x.X, def)
	}
	return def
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}
