// Package probe exercises //syncvet:ignore with the probe test check,
// which reports every call to hazard.
package probe

func hazard() {}

func onTheLine() {
	hazard() //syncvet:ignore probe the caller holds no lock here
}

func onTheLineAbove() {
	//syncvet:ignore probe reviewed: single goroutine at this point
	hazard()
	hazard() // want `call to hazard`
}

func trailingDirectiveCoversOnlyItsLine() {
	_ = 1    //syncvet:ignore probe only this statement is covered
	hazard() // want `call to hazard`
}

func nolintStyleReason() {
	hazard() //syncvet:ignore probe // guarded by the caller's lock
}

func commaList() {
	hazard() //syncvet:ignore copylocks,probe,SA2001 both reviewed
}

func caseInsensitive() {
	hazard() //syncvet:ignore PROBE reviewed
}

func otherCheckOnly() {
	hazard() //syncvet:ignore copylocks the directive names another check // want `call to hazard`
}

func notADirective() {
	hazard() //syncvet:ignoreprobe missing space // want `call to hazard`
}

// want +2 `suppression of probe gives no reason, so it silences nothing`
//
//syncvet:ignore probe
func docWithoutReason() {
	hazard() // want `call to hazard`
}

func lineWithoutReason() {
	// want +1 `suppression of probe gives no reason`
	//syncvet:ignore probe
	hazard() // want `call to hazard`
}

// docWithReason is silenced as a whole.
//
//syncvet:ignore probe every call here runs before the goroutines start
func docWithReason() {
	hazard()
	func() {
		hazard()
	}()
}

func afterDocWithReason() {
	hazard() // want `call to hazard`
}

// T's doc comment covers the type declaration, not its methods.
//
//syncvet:ignore probe the type's own declaration only
type T struct{}

func (T) m() {
	hazard() // want `call to hazard`
}

var (
	//syncvet:ignore probe initialised before main
	v = func() int {
		hazard()
		return 1
	}()
	w = func() int {
		hazard() // want `call to hazard`
		return 1
	}()
)
