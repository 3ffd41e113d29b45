package basic

import (
	"context"
	"errors"
)

func encode(ctx context.Context, v int, out chan<- []byte) {
	b := []byte{byte(v)}
	select { // want `goroutine leak: the send on out blocks for ever when Encode returns without receiving from it \(the select's ctx\.Done case never fires: the goroutine was handed context\.Background\(\) or context\.TODO\(\)\)`
	case out <- b:
	case <-ctx.Done():
	}
}

// Encode gives up when its caller's context ends, but the encoder it
// starts was handed a context that never does.
func Encode(ctx context.Context, v int) ([]byte, error) {
	out := make(chan []byte)
	go encode(context.Background(), v, out)
	select {
	case b := <-out:
		return b, nil
	case <-ctx.Done():
		return nil, errors.New("canceled")
	}
}

// EncodeCtx hands the encoder its own context: when it gives up, so does
// the encoder.
func EncodeCtx(ctx context.Context, v int) ([]byte, error) {
	out := make(chan []byte)
	go encode(ctx, v, out)
	select {
	case b := <-out:
		return b, nil
	case <-ctx.Done():
		return nil, errors.New("canceled")
	}
}

// EncodeTODO hands it context.TODO() from a closure.
func EncodeTODO(ctx context.Context, v int) ([]byte, error) {
	out := make(chan []byte)
	bg := context.TODO()
	go func() {
		select { // want `goroutine leak: the send on out blocks for ever when EncodeTODO returns without receiving from it \(the select's ctx\.Done case never fires`
		case out <- []byte{byte(v)}:
		case <-bg.Done():
		}
	}()
	select {
	case b := <-out:
		return b, nil
	case <-ctx.Done():
		return nil, errors.New("canceled")
	}
}
