package main

import (
	"strings"
	"sync"
)

// A store filled from a file before anyone else has it: load writes
// without the lock, but only on the fresh object its caller just made.
type sessionStore struct {
	mu       sync.Mutex
	sessions map[string]string // want sessions:`guarded\(mu\)`
}

func newsessionStore() *sessionStore {
	return &sessionStore{sessions: map[string]string{}}
}

func (s *sessionStore) load(text string) {
	for _, line := range strings.Split(text, "\n") {
		k, v, _ := strings.Cut(line, "=")
		s.sessions[k] = v
	}
}

func (s *sessionStore) Set(k, v string) {
	s.mu.Lock()
	s.sessions[k] = v
	s.mu.Unlock()
}

func (s *sessionStore) Drop(k string) {
	s.mu.Lock()
	delete(s.sessions, k)
	s.mu.Unlock()
}

func openSessions(text string) *sessionStore {
	s := newsessionStore()
	s.load(text)
	return s
}

// The same helper called again on a store that is already in use.
type sessionStore2 struct {
	mu       sync.Mutex
	sessions map[string]string // want sessions:`guarded\(mu\)`
}

func newsessionStore2() *sessionStore2 {
	return &sessionStore2{sessions: map[string]string{}}
}

func (s *sessionStore2) load(text string) {
	for _, line := range strings.Split(text, "\n") {
		k, v, _ := strings.Cut(line, "=")
		s.sessions[k] = v // want `unsynchronized read of s.sessions: \(\*sessionStore2\).load reads it without s.mu, which \(\*sessionStore2\).Set writes holding it`
	}
}

func (s *sessionStore2) Set(k, v string) {
	s.mu.Lock()
	s.sessions[k] = v // want `unsynchronized write to s2.sessions: the goroutine running \(\*sessionStore2\).Set writes s2.sessions, which useSessions writes after the go statement`
	s.mu.Unlock()
}

func (s *sessionStore2) Drop(k string) {
	s.mu.Lock()
	delete(s.sessions, k)
	s.mu.Unlock()
}

func openSessions2(text string) *sessionStore2 {
	s := newsessionStore2()
	s.load(text)
	return s
}

func (s *sessionStore2) reload(text string) {
	s.load(text)
}

func useSessions() {
	s := openSessions("a=1")
	go s.Set("b", "2")
	s.Drop("a")
	s2 := openSessions2("a=1")
	go s2.Set("b", "2")
	s2.reload("c=3")
	s2.Drop("a")
}

// The fresh store is kept in a variable that a goroutine captures later:
// the load still runs before anyone else can reach it.
func useSessionsCaptured() {
	s := newsessionStore()
	s.load("a=1")
	go func() { s.Set("b", "2") }()
	s.Drop("a")
}

// Captured by a goroutine before the load: the load races with Set.
type sessionStore3 struct {
	mu       sync.Mutex
	sessions map[string]string // want sessions:`guarded\(mu\)`
}

func (s *sessionStore3) load(text string) {
	for _, line := range strings.Split(text, "\n") {
		k, v, _ := strings.Cut(line, "=")
		s.sessions[k] = v // want `unsynchronized read of s.sessions: \(\*sessionStore3\).load reads it without s.mu, which \(\*sessionStore3\).Set writes holding it`
	}
}

func (s *sessionStore3) Set(k, v string) {
	s.mu.Lock()
	s.sessions[k] = v // want `unsynchronized write to s.sessions: the goroutine running useSessionsEarly.func1 writes s.sessions, which useSessionsEarly writes after the go statement`
	s.mu.Unlock()
}

func (s *sessionStore3) Drop(k string) {
	s.mu.Lock()
	delete(s.sessions, k)
	s.mu.Unlock()
}

func useSessionsEarly() {
	s := &sessionStore3{sessions: map[string]string{}}
	go func() { s.Set("b", "2") }()
	s.load("a=1")
	s.Drop("a")
}
