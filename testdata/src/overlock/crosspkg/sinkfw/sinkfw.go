package sinkfw

type Metric interface{ Value() int }

type Collector interface {
	Describe(ch chan<- string)
	Collect(ch chan<- Metric)
}
