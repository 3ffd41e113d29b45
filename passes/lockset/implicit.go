package lockset

import (
	"go/constant"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/syncapi"
)

// implicitCall is a call that a callee makes on one of the caller's
// values without the call site showing it: fmt's printing functions call
// the String or Error method of their operands.
type implicitCall struct {
	fn   *ssa.Function
	recv ssa.Value
	via  string // the function that makes the call: "fmt.Printf"
}

// printers are the functions that format their operands with fmt, by
// package path and name (methods: "Type.Method"); the value is the index
// of the format string parameter (the receiver counts), or -1.
var printers = map[string]map[string]int{
	"fmt": {
		"Print": -1, "Println": -1, "Sprint": -1, "Sprintln": -1, "Fprint": -1, "Fprintln": -1,
		"Printf": 0, "Sprintf": 0, "Fprintf": 1, "Errorf": 0,
		"Append": -1, "Appendln": -1, "Appendf": 1,
	},
	"log": {
		"Print": -1, "Println": -1, "Printf": 0, "Fatal": -1, "Fatalln": -1, "Fatalf": 0, "Panic": -1, "Panicln": -1, "Panicf": 0,
		"Logger.Print": -1, "Logger.Println": -1, "Logger.Printf": 1, "Logger.Fatal": -1, "Logger.Fatalln": -1, "Logger.Fatalf": 1,
		"Logger.Panic": -1, "Logger.Panicln": -1, "Logger.Panicf": 1,
	},
	"testing": {
		"common.Log": -1, "common.Logf": 1, "common.Error": -1, "common.Errorf": 1, "common.Fatal": -1, "common.Fatalf": 1,
		"common.Skip": -1, "common.Skipf": 1,
	},
}

// onceCall returns the function that a call to (*sync.Once).Do runs
// before it returns, as a call of its own: the closure, function or
// method passed, and a call of it (with the bindings or receiver).
func onceCall(common *ssa.CallCommon) (*ssa.Function, *ssa.CallCommon) {
	o := syncapi.Call(common)
	if o.Kind != syncapi.OnceDo || len(common.Args) != 2 {
		return nil, nil
	}
	switch f := o.FuncArg(common).(type) {
	case *ssa.Function:
		return f, &ssa.CallCommon{Value: f}
	case *ssa.MakeClosure:
		fn, ok := f.Fn.(*ssa.Function)
		if !ok {
			break
		}
		if fn.Synthetic != "" && len(f.Bindings) == 1 {
			// A method value x.m: a call of m with receiver x.
			if obj, ok := fn.Object().(*types.Func); ok && obj != nil {
				if m := fn.Prog.FuncValue(obj); m != nil {
					return m, &ssa.CallCommon{Value: m, Args: []ssa.Value{f.Bindings[0]}}
				}
			}
			break
		}
		return fn, &ssa.CallCommon{Value: f}
	}
	return nil, nil
}

// implicitCalls returns the String and Error methods that a call to a
// printing function invokes on its operands. With a constant format, only
// the verbs %v, %s and %q (which use them) count.
func implicitCalls(common *ssa.CallCommon) []implicitCall {
	callee := common.StaticCallee()
	if callee == nil || callee.Pkg == nil && callee.Object() == nil {
		return nil
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok || obj == nil || obj.Pkg() == nil {
		return nil
	}
	names := printers[obj.Pkg().Path()]
	if names == nil {
		return nil
	}
	name := obj.Name()
	if recv := obj.Type().(*types.Signature).Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		n, ok := types.Unalias(t).(*types.Named)
		if !ok {
			return nil
		}
		name = n.Obj().Name() + "." + name
	}
	fmtIdx, ok := names[name]
	if !ok || len(common.Args) == 0 {
		return nil
	}
	if fmtIdx >= 0 && fmtIdx < len(common.Args) {
		if c, ok := common.Args[fmtIdx].(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.String {
			if !usesStringer(constant.StringVal(c.Value)) {
				return nil
			}
		}
	}
	// The operands are packed into the variadic slice: new([n]any),
	// stores of MakeInterface values into its elements, then a slice.
	sl, ok := common.Args[len(common.Args)-1].(*ssa.Slice)
	if !ok {
		return nil
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok || arr.Referrers() == nil {
		return nil
	}
	via := obj.Pkg().Name() + "." + obj.Name()
	prog := callee.Prog
	var out []implicitCall
	for _, r := range *arr.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		for _, rr := range *ia.Referrers() {
			st, ok := rr.(*ssa.Store)
			if !ok || st.Addr != ia {
				continue
			}
			mi, ok := st.Val.(*ssa.MakeInterface)
			if !ok {
				continue
			}
			if m := stringMethod(prog, mi.X.Type()); m != nil {
				out = append(out, implicitCall{fn: m, recv: mi.X, via: via})
			}
		}
	}
	return out
}

// usesStringer reports whether a format string has a verb that calls a
// String or Error method.
func usesStringer(format string) bool {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.*[]", format[j]) >= 0 {
			j++
		}
		if j < len(format) && strings.IndexByte("vsqxX", format[j]) >= 0 {
			return true
		}
		i = j
	}
	return false
}

// stringMethod returns the Error or String method that fmt calls on a
// value of type t, if t has one with a body; Error wins, as in fmt.
func stringMethod(prog *ssa.Program, t types.Type) *ssa.Function {
	if prog == nil {
		return nil
	}
	if _, ok := t.Underlying().(*types.Interface); ok {
		return nil
	}
	mset := prog.MethodSets.MethodSet(t)
	for _, name := range []string{"Error", "String"} {
		for i := 0; i < mset.Len(); i++ {
			sel := mset.At(i)
			if sel.Obj().Name() != name {
				continue
			}
			sig := sel.Type().(*types.Signature)
			if sig.Params().Len() != 0 || sig.Results().Len() != 1 || !types.Identical(sig.Results().At(0).Type(), types.Typ[types.String]) {
				continue
			}
			if fn := prog.MethodValue(sel); fn != nil && fn.Synthetic == "" {
				return fn
			}
		}
	}
	return nil
}
