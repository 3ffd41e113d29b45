package closures

// A function value rebuilt in a loop (middleware wrapping a handler)
// reaches a field through phis that refer to each other: following them
// must end (watermill's router overflowed the stack).

type router struct{ handler func() }

func buildRouter(middlewares []func(func()) func(), h func()) *router {
	for i := len(middlewares) - 1; i >= 0; i-- {
		if middlewares[i] != nil {
			h = middlewares[i](h)
		}
	}
	return &router{handler: h}
}

func (r *router) serve() { r.handler() }
