package sharedaccess

import (
	"go/ast"
	"go/token"
	"go/types"
	"go/version"

	"golang.org/x/tools/go/ast/astutil"
)

// loopclosureOwns reports whether the access at pos is a reference to a
// loop variable, shared by all iterations (a file before Go 1.22), from
// a function literal run by a go or defer statement that ends the loop
// body: the race that vet's loopclosure reports at the same position.
// One bug, one finding: it is left to loopclosure.
func (st *state) loopclosureOwns(pos token.Pos) bool {
	var file *ast.File
	for _, f := range st.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			file = f
			break
		}
	}
	if file == nil {
		return false
	}
	if v := st.pass.TypesInfo.FileVersions[file]; v == "" || version.Compare(v, "go1.22") >= 0 {
		return false // per-iteration loop variables
	}
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	if len(path) == 0 {
		return false
	}
	id, ok := path[0].(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := st.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	for i, n := range path {
		if _, ok := n.(*ast.FuncLit); !ok || i+3 >= len(path) {
			continue
		}
		// FuncLit < CallExpr < GoStmt|DeferStmt < BlockStmt < loop
		var stmt ast.Stmt
		switch s := path[i+2].(type) {
		case *ast.GoStmt:
			stmt = s
		case *ast.DeferStmt:
			stmt = s
		default:
			continue
		}
		body, ok := path[i+3].(*ast.BlockStmt)
		if !ok || len(body.List) == 0 || body.List[len(body.List)-1] != stmt || i+4 >= len(path) {
			continue
		}
		if st.declaresLoopVar(path[i+4], v) {
			return true
		}
	}
	return false
}

// declaresLoopVar reports whether loop, a for or range statement,
// declares v.
func (st *state) declaresLoopVar(loop ast.Node, v *types.Var) bool {
	defs := st.pass.TypesInfo.Defs
	switch l := loop.(type) {
	case *ast.RangeStmt:
		for _, e := range []ast.Expr{l.Key, l.Value} {
			if id, ok := e.(*ast.Ident); ok && defs[id] == v {
				return true
			}
		}
	case *ast.ForStmt:
		if as, ok := l.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, e := range as.Lhs {
				if id, ok := e.(*ast.Ident); ok && defs[id] == v {
					return true
				}
			}
		}
	}
	return false
}
