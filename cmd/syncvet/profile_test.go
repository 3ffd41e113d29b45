package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestProfiles checks that -cpuprofile and -memprofile make the vet tool
// unit of each analysed package write a (gzipped) pprof profile.
func TestProfiles(t *testing.T) {
	// A fresh comment keeps go vet from answering from its cache.
	dir := writeModule(t, map[string]string{
		"p/p.go": fmt.Sprintf(`// Package p is profiled (%d).
package p

import "sync"

var mu sync.Mutex

func F(ch chan int) {
	mu.Lock()
	defer mu.Unlock()
	go func() { ch <- 1 }()
}
`, time.Now().UnixNano()),
	})
	prof := filepath.Join(t.TempDir(), "prof")
	_, stderr, code := run(t, dir, false, "-cpuprofile", prof, "-memprofile", prof, "./...")
	if code != exitClean {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	for _, kind := range []string{"cpu", "mem"} {
		files, _ := filepath.Glob(filepath.Join(prof, "example.com_m_p.*."+kind+".pprof"))
		if len(files) != 1 {
			all, _ := os.ReadDir(prof)
			t.Fatalf("%s profiles of example.com/m/p: %v; directory holds %v", kind, files, all)
		}
		data, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			t.Errorf("%s: not a gzipped profile (%d bytes)", files[0], len(data))
		}
	}
}

func TestProfileName(t *testing.T) {
	got := profileName("net/http [net/http.test]")
	want := fmt.Sprintf("net_http__net_http.test_.%d", os.Getpid())
	if got != want {
		t.Errorf("profileName = %q, want %q", got, want)
	}
}
