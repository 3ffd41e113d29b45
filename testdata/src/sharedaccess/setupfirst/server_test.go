package setupfirst

import "testing"

func TestHandle(t *testing.T) {
	s := &Server{}
	s.init()
	s.cancel()
	s.handle(1)
}
