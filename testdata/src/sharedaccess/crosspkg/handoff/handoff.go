// Package handoff hands a builder to a goroutine and replaces it: the
// goroutine works on the old one, later adds on the new one.
package handoff

import (
	"sync"

	"sharedaccess/crosspkg/tb"
)

type Writer struct {
	builder *tb.Builder
	wg      sync.WaitGroup
	err     error
}

func (w *Writer) send(done bool) error {
	if w.err != nil {
		return w.err
	}
	w.wg.Add(1)
	go func(b *tb.Builder) {
		defer w.wg.Done()
		w.create(b) // ok: the old builder; Add works on the new one
	}(w.builder)
	if done {
		w.builder = nil
		return nil
	}
	w.builder = tb.New()
	return nil
}

func (w *Writer) create(b *tb.Builder) {
	if !b.Empty() {
		b.Finish()
	}
}

func (w *Writer) Add(k int) error { // want Add:`accesses\(w 0\.builder; r 0\.builder; w 0\.builder\.keys; r 0\.builder\.keys; r 0\.builder\.keys\[\]; w 0\.builder\.size; r 0\.builder\.size; r 0\.err; done 0\.wg\)`
	if !w.builder.Empty() {
		if err := w.send(false); err != nil {
			return err
		}
	}
	w.builder.Add(k)
	return nil
}

// sendLate replaces the builder only on some paths.
func (w *Writer) sendLate(keep bool) {
	w.wg.Add(1)
	go func(b *tb.Builder) {
		defer w.wg.Done()
		b.Finish() // want `unsynchronized write to w\.builder\.size: the goroutine running \(\*Writer\)\.sendLate\.func1 writes w\.builder\.size, which \(\*Writer\)\.AddLate writes after calling \(\*Writer\)\.sendLate \(and w\.builder\.keys, in the same statements\)`
	}(w.builder)
	if !keep {
		w.builder = tb.New()
	}
}

func (w *Writer) AddLate(k int) { // want AddLate:`accesses\(w 0\.builder; r 0\.builder; w 0\.builder\.keys; r 0\.builder\.keys; r 0\.builder\.keys\[\]; w 0\.builder\.size; r 0\.builder\.size; done 0\.wg\)`
	w.sendLate(k > 5)
	w.builder.Add(k)
}
