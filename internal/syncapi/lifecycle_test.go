package syncapi

import "testing"

func TestNamed(t *testing.T) {
	for _, c := range []struct {
		name string
		role Role
		want bool
	}{
		{"Start", Setup, true},
		{"StartWorkers", Setup, true},
		{"Initialize", Setup, true},
		{"start", Setup, false},
		{"Restart", Setup, false},
		{"CloseSend", Stop, true},
		{"Halt", Stop, true},
		{"Reset", Stop, false},
		{"Reset", Teardown, true},
		{"StopAll", Teardown, true},
		{"Cleanup", Teardown, true},
		{"Commit", EndsHandle, true},
		{"CommitAll", EndsHandle, false},
		{"Done", EndsHandle, true},
		{"shutdown", Closer, true},
		{"Close", Closer, true},
		{"CloseSend", Closer, false},
		{"Cancel", Closer, false},
	} {
		if got := Named(c.name, c.role); got != c.want {
			t.Errorf("Named(%q, %d) = %v, want %v", c.name, c.role, got, c.want)
		}
	}
	names := CloserNames()
	names[0] = "Mutated"
	if !Named("Close", Closer) {
		t.Errorf("CloserNames let its caller change the table")
	}
}
