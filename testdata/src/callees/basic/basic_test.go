package basic

func testHooks() *hooks {
	h := &hooks{}
	h.onFlush = func() {}
	h.onFlush() // want `testHooks calls testHooks.func1`
	return h
}
