package blocking

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
)

// syncKinds are the synchronisation calls (as internal/syncapi
// classifies them) that may block.
var syncKinds = map[syncapi.Kind]Kind{
	syncapi.Sleep:            Sleep,
	syncapi.WaitGroupWait:    Wait,
	syncapi.CondWait:         CondWait,
	syncapi.GroupWait:        Wait,
	syncapi.SemaphoreAcquire: Wait,
	syncapi.SingleflightDo:   Wait,
}

// table lists the other standard-library calls that may block, keyed
// by types.Func.FullName. It and syncKinds are consulted before any
// fact, so they also apply when the driver analyses the standard
// library.
var table = map[string]Kind{
	"(*os.Process).Wait":            Wait,
	"(*os/exec.Cmd).Run":            Wait,
	"(*os/exec.Cmd).Wait":           Wait,
	"(*os/exec.Cmd).Output":         Wait,
	"(*os/exec.Cmd).CombinedOutput": Wait,

	// Files.
	"(*os.File).Read":         IO,
	"(*os.File).ReadAt":       IO,
	"(*os.File).ReadFrom":     IO,
	"(*os.File).ReadDir":      IO,
	"(*os.File).Readdir":      IO,
	"(*os.File).Readdirnames": IO,
	"(*os.File).Write":        IO,
	"(*os.File).WriteAt":      IO,
	"(*os.File).WriteString":  IO,
	"(*os.File).WriteTo":      IO,
	"(*os.File).Sync":         IO,
	"os.ReadFile":             IO,
	"os.WriteFile":            IO,
	"os.ReadDir":              IO,
	"os.CopyFS":               IO,

	// Pollable descriptors underneath os and net, for drivers that
	// analyse the standard library itself.
	"(*internal/poll.FD).Read":      IO,
	"(*internal/poll.FD).Pread":     IO,
	"(*internal/poll.FD).Write":     IO,
	"(*internal/poll.FD).Pwrite":    IO,
	"(*internal/poll.FD).Accept":    IO,
	"(*internal/poll.FD).ReadFrom":  IO,
	"(*internal/poll.FD).WriteTo":   IO,
	"(*internal/poll.FD).ReadMsg":   IO,
	"(*internal/poll.FD).WriteMsg":  IO,
	"(*internal/poll.FD).Fsync":     IO,
	"(*internal/poll.FD).RawRead":   IO,
	"(*internal/poll.FD).RawWrite":  IO,
	"(*internal/poll.FD).WaitWrite": IO,

	// Network.
	"(net.Conn).Read":                     IO,
	"(net.Conn).Write":                    IO,
	"(net.Listener).Accept":               IO,
	"(net.PacketConn).ReadFrom":           IO,
	"(net.PacketConn).WriteTo":            IO,
	"(*net.TCPConn).Read":                 IO,
	"(*net.TCPConn).Write":                IO,
	"(*net.TCPConn).ReadFrom":             IO,
	"(*net.TCPConn).WriteTo":              IO,
	"(*net.UDPConn).Read":                 IO,
	"(*net.UDPConn).Write":                IO,
	"(*net.UDPConn).ReadFrom":             IO,
	"(*net.UDPConn).ReadFromUDP":          IO,
	"(*net.UDPConn).ReadMsgUDP":           IO,
	"(*net.UDPConn).WriteTo":              IO,
	"(*net.UDPConn).WriteToUDP":           IO,
	"(*net.UDPConn).WriteMsgUDP":          IO,
	"(*net.UnixConn).Read":                IO,
	"(*net.UnixConn).Write":               IO,
	"(*net.UnixConn).ReadFrom":            IO,
	"(*net.UnixConn).ReadMsgUnix":         IO,
	"(*net.UnixConn).WriteTo":             IO,
	"(*net.UnixConn).WriteMsgUnix":        IO,
	"(*net.IPConn).Read":                  IO,
	"(*net.IPConn).Write":                 IO,
	"(*net.TCPListener).Accept":           IO,
	"(*net.TCPListener).AcceptTCP":        IO,
	"(*net.UnixListener).Accept":          IO,
	"(*net.UnixListener).AcceptUnix":      IO,
	"net.Dial":                            IO,
	"net.DialTimeout":                     IO,
	"net.DialTCP":                         IO,
	"net.DialUDP":                         IO,
	"net.DialUnix":                        IO,
	"(*net.Dialer).Dial":                  IO,
	"(*net.Dialer).DialContext":           IO,
	"net.LookupHost":                      IO,
	"net.LookupIP":                        IO,
	"net.LookupAddr":                      IO,
	"net.LookupCNAME":                     IO,
	"net.LookupMX":                        IO,
	"net.LookupSRV":                       IO,
	"net.LookupTXT":                       IO,
	"(*net.Resolver).LookupHost":          IO,
	"(*net.Resolver).LookupIPAddr":        IO,
	"(*net.Resolver).LookupIP":            IO,
	"(*net.Resolver).LookupNetIP":         IO,
	"(*net.Resolver).LookupAddr":          IO,
	"(*crypto/tls.Conn).Read":             IO,
	"(*crypto/tls.Conn).Write":            IO,
	"(*crypto/tls.Conn).Handshake":        IO,
	"(*crypto/tls.Conn).HandshakeContext": IO,
	"crypto/tls.Dial":                     IO,
	"crypto/tls.DialWithDialer":           IO,
	"(*crypto/tls.Dialer).Dial":           IO,
	"(*crypto/tls.Dialer).DialContext":    IO,
	"(*net/rpc.Client).Call":              IO,

	// HTTP.
	"(*net/http.Client).Do":                IO,
	"(*net/http.Client).Get":               IO,
	"(*net/http.Client).Head":              IO,
	"(*net/http.Client).Post":              IO,
	"(*net/http.Client).PostForm":          IO,
	"net/http.Get":                         IO,
	"net/http.Head":                        IO,
	"net/http.Post":                        IO,
	"net/http.PostForm":                    IO,
	"(*net/http.Transport).RoundTrip":      IO,
	"(net/http.RoundTripper).RoundTrip":    IO,
	"(*net/http.Server).ListenAndServe":    IO,
	"(*net/http.Server).ListenAndServeTLS": IO,
	"(*net/http.Server).Serve":             IO,
	"(*net/http.Server).ServeTLS":          IO,
	"(*net/http.Server).Shutdown":          Wait,
	"net/http.ListenAndServe":              IO,
	"net/http.ListenAndServeTLS":           IO,
	"net/http.Serve":                       IO,

	// Databases.
	"(*database/sql.DB).Begin":             IO,
	"(*database/sql.DB).BeginTx":           IO,
	"(*database/sql.DB).Conn":              IO,
	"(*database/sql.DB).Exec":              IO,
	"(*database/sql.DB).ExecContext":       IO,
	"(*database/sql.DB).Ping":              IO,
	"(*database/sql.DB).PingContext":       IO,
	"(*database/sql.DB).Prepare":           IO,
	"(*database/sql.DB).PrepareContext":    IO,
	"(*database/sql.DB).Query":             IO,
	"(*database/sql.DB).QueryContext":      IO,
	"(*database/sql.DB).QueryRow":          IO,
	"(*database/sql.DB).QueryRowContext":   IO,
	"(*database/sql.Tx).Commit":            IO,
	"(*database/sql.Tx).Rollback":          IO,
	"(*database/sql.Tx).Exec":              IO,
	"(*database/sql.Tx).ExecContext":       IO,
	"(*database/sql.Tx).Query":             IO,
	"(*database/sql.Tx).QueryContext":      IO,
	"(*database/sql.Tx).QueryRow":          IO,
	"(*database/sql.Tx).QueryRowContext":   IO,
	"(*database/sql.Stmt).Exec":            IO,
	"(*database/sql.Stmt).ExecContext":     IO,
	"(*database/sql.Stmt).Query":           IO,
	"(*database/sql.Stmt).QueryContext":    IO,
	"(*database/sql.Stmt).QueryRow":        IO,
	"(*database/sql.Stmt).QueryRowContext": IO,
	"(*database/sql.Conn).ExecContext":     IO,
	"(*database/sql.Conn).QueryContext":    IO,
	"(*database/sql.Conn).QueryRowContext": IO,
	"(*database/sql.Conn).PingContext":     IO,
}

// copyFuncs are io helpers that block only when an endpoint is a file,
// a connection or an HTTP body.
var copyFuncs = map[string]bool{
	"io.Copy":           true,
	"io.CopyN":          true,
	"io.CopyBuffer":     true,
	"io.ReadAll":        true,
	"io.ReadFull":       true,
	"io.ReadAtLeast":    true,
	"io.WriteString":    true,
	"io/ioutil.ReadAll": true,
}

// calleeFunc returns the types.Func a call invokes, statically or
// through an interface, or nil.
func calleeFunc(c *ssa.CallCommon) *types.Func {
	if c.IsInvoke() {
		return c.Method
	}
	if fn := c.StaticCallee(); fn != nil {
		if f, ok := ssax.Origin(fn).Object().(*types.Func); ok {
			return f
		}
	}
	return nil
}

// tableOp returns the Op of a call listed in the built-in table.
func (a *analyzer) tableOp(fn *ssa.Function, call ssa.CallInstruction) *Op {
	c := call.Common()
	f := calleeFunc(c)
	if f == nil {
		return nil
	}
	full := f.FullName()
	kind, ok := table[full]
	if !ok {
		kind, ok = syncKinds[syncapi.Classify(f).Kind]
	}
	var operand ssa.Value
	switch {
	case ok:
		if c.IsInvoke() {
			operand = c.Value
		} else if len(c.Args) > 0 && f.Signature().Recv() != nil {
			operand = c.Args[0]
		}
	case copyFuncs[full]:
		for _, arg := range c.Args {
			if isIOEndpoint(arg) {
				kind, operand, ok = IO, arg, true
				break
			}
		}
	}
	if !ok || console(operand) {
		return nil
	}
	if kind == Wait && syncapi.Classify(f).Kind == syncapi.WaitGroupWait && a.forkJoinWait(fn, call) {
		return nil
	}
	name := full
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	stream := kind == IO && operand != nil && isIOEndpoint(operand)
	return &Op{Instr: call, Kind: kind, What: "call to " + a.callName(c, name), At: a.at(call.Pos()), Operand: operand, Stream: stream}
}

// isIOEndpoint reports whether v, passed as an io.Reader or io.Writer,
// is known to be a file, a network connection or an HTTP body.
func isIOEndpoint(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.MakeInterface:
		return isIOType(x.X.Type())
	case *ssa.ChangeInterface:
		return isIOType(x.X.Type())
	case *ssa.UnOp:
		// resp.Body, req.Body
		if fa, ok := x.X.(*ssa.FieldAddr); ok {
			if n, ok := types.Unalias(deref(fa.X.Type())).(*types.Named); ok {
				obj := n.Obj()
				if obj.Pkg() != nil && obj.Pkg().Path() == "net/http" && (obj.Name() == "Response" || obj.Name() == "Request") {
					st := n.Underlying().(*types.Struct)
					return st.Field(fa.Field).Name() == "Body"
				}
			}
		}
	}
	return isIOType(v.Type())
}

// IsStreamType reports whether t is a file or network connection type
// (or a pointer to one): a value whose reads and writes are I/O.
func IsStreamType(t types.Type) bool { return isIOType(t) }

// isIOType reports whether t is a file or network connection type.
func isIOType(t types.Type) bool {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	switch n.Obj().Pkg().Path() + "." + n.Obj().Name() {
	case "os.File", "net.Conn", "net.TCPConn", "net.UDPConn", "net.UnixConn", "net.IPConn",
		"net.PacketConn", "crypto/tls.Conn":
		return true
	}
	return false
}

// IsStd reports whether path is a standard-library package. Calls into
// the standard library are judged by the built-in table alone, never by
// facts computed from its bodies: the answer is then the same whether or
// not the driver analyses the standard library, and rare internal paths
// (the runtime starting a GC cycle inside an allocation, a parser that
// reads a file only when given no source) do not make every caller of
// fmt or reflect "blocking".
func IsStd(path string) bool { return ssax.IsStd(path) }

// console reports whether v is os.Stdin, os.Stdout or os.Stderr: a
// mutex around console output serialises lines, and such writes are not
// counted as blocking I/O.
func console(v ssa.Value) bool {
	if v == nil {
		return false
	}
	g, ok := Root(v).(*ssa.Global)
	if !ok || g.Pkg == nil || g.Pkg.Pkg.Path() != "os" {
		return false
	}
	switch g.Name() {
	case "Stdin", "Stdout", "Stderr":
		return true
	}
	return false
}
