package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Environment of the -toolexec wrapper, set by the benchmark for each
// measured go vet run.
const (
	envLog     = "SYNCVET_BENCH_LOG"     // file that gets one JSON line per vet tool unit
	envVetTool = "SYNCVET_BENCH_VETTOOL" // absolute path of the vet tool to time
	envNonce   = "SYNCVET_BENCH_NONCE"   // appended to the vet tool's -V=full build ID
	envVetxDir = "SYNCVET_BENCH_VETX"    // directory that gets a copy of each unit's .vetx file (the determinism check of .ci/race-real)
)

// unit is one vet tool process: one package (or test variant), analysed
// for diagnostics or, for a dependency, for facts only.
type unit struct {
	ID       string        `json:"id"`
	VetxOnly bool          `json:"vetxonly,omitempty"`
	Wall     time.Duration `json:"wall"`
	CPU      time.Duration `json:"cpu"`
	RSS      int64         `json:"rss_kb"`      // peak resident set size, KiB
	Facts    int64         `json:"facts_bytes"` // size of the facts in the unit's .vetx file
	Vetx     int64         `json:"vetx_bytes"`  // size of the whole .vetx file (facts, and export data where the tool writes it)
	Exit     int           `json:"exit,omitempty"`
}

// toolexec runs one tool invocation of the go command: tool is the
// tool's path and args its arguments. Tools other than the vet tool are
// exec'd in place. The vet tool is run as a child, timed, and logged; its
// -V=full answer gets the nonce appended so that go vet's result cache
// misses while the compiler's stays warm. Where SYNCVET_BENCH_VETX
// names a directory, each unit's .vetx file is copied there (see
// vetxFileName).
func toolexec(tool string, args []string) int {
	if tool != os.Getenv(envVetTool) {
		if err := syscall.Exec(tool, append([]string{tool}, args...), os.Environ()); err != nil {
			fmt.Fprintf(os.Stderr, "syncvet-bench toolexec: %s: %v\n", tool, err)
		}
		return 1
	}
	for _, a := range args {
		if a == "-V=full" || a == "--V=full" {
			return versionWithNonce(tool, args)
		}
	}
	cfg := ""
	if n := len(args); n > 0 && strings.HasSuffix(args[n-1], ".cfg") {
		cfg = args[n-1]
	}
	cmd := exec.Command(tool, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	code := 0
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else {
			fmt.Fprintf(os.Stderr, "syncvet-bench toolexec: %v\n", err)
			return 1
		}
	}
	if cfg != "" {
		u := unit{Wall: wall, Exit: code}
		var vetx string
		u.ID, u.VetxOnly, vetx = readUnitConfig(cfg)
		if vetx != "" {
			u.Facts, u.Vetx = vetxSizes(vetx)
			if dir := os.Getenv(envVetxDir); dir != "" {
				// A unit whose tool failed before writing one has none.
				if err := copyFile(vetx, filepath.Join(dir, vetxFileName(cfg, u.ID, vetx)), 0o644); err != nil && !os.IsNotExist(err) {
					fmt.Fprintf(os.Stderr, "syncvet-bench toolexec: %v\n", err)
					return 1
				}
			}
		}
		if ps := cmd.ProcessState; ps != nil {
			u.CPU = ps.UserTime() + ps.SystemTime()
			if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
				u.RSS = ru.Maxrss
			}
		}
		if err := appendLog(os.Getenv(envLog), u); err != nil {
			fmt.Fprintf(os.Stderr, "syncvet-bench toolexec: %v\n", err)
		}
	}
	return code
}

// vetxFileName is the file name under SYNCVET_BENCH_VETX of the .vetx
// file of the unit of vet.cfg cfg: its ID, " [test]" where its files
// include _test.go files, and "@" and the go command's object directory
// ("b042"), all path-escaped. The ID alone does not tell apart the
// variants of one package that go vet analyses (p and p with its tests;
// a dependency of p's tests and the same package recompiled against p
// with its tests); the object directories do, and the go command numbers
// them alike in two runs of one command line over the same packages.
func vetxFileName(cfg, id, vetx string) string {
	key := id
	if data, err := os.ReadFile(cfg); err == nil {
		var c struct{ GoFiles []string }
		if json.Unmarshal(data, &c) == nil {
			for _, f := range c.GoFiles {
				if strings.HasSuffix(f, "_test.go") {
					key += " [test]"
					break
				}
			}
		}
	}
	key += "@" + filepath.Base(filepath.Dir(vetx))
	return url.PathEscape(key) + ".vetx"
}

// vetxSizes returns the size of the facts in a .vetx file and of the
// whole file. Since x/tools v0.52 a unitchecker tool's .vetx file holds
// the package's export data before its facts: "vetx", the two lengths
// (little-endian uint32), the export data, the facts. A file without
// that header (an older unitchecker, as go vet's own may be) is all
// facts.
func vetxSizes(file string) (facts, whole int64) {
	f, err := os.Open(file)
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, 0
	}
	whole = fi.Size()
	var hdr [12]byte
	if n, _ := io.ReadFull(f, hdr[:]); n == len(hdr) && string(hdr[:4]) == "vetx" {
		types := int64(binary.LittleEndian.Uint32(hdr[4:8]))
		facts := int64(binary.LittleEndian.Uint32(hdr[8:12]))
		if 12+types+facts <= whole {
			return facts, whole
		}
	}
	return whole, whole
}

// versionWithNonce answers -V=full for the vet tool with the nonce added
// to the build ID the go command keys its vet cache on.
func versionWithNonce(tool string, args []string) int {
	var out bytes.Buffer
	cmd := exec.Command(tool, args...)
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "syncvet-bench toolexec: %s -V=full: %v\n", tool, err)
		return 1
	}
	fmt.Println(addNonce(out.String(), os.Getenv(envNonce)))
	return 0
}

// addNonce appends nonce to a -V=full line. A development build ID
// ("... buildID=HEX") is keyed on its last field, a release one
// ("vet version go1.26.8") on the whole line; both change.
func addNonce(line, nonce string) string {
	line = strings.TrimSpace(line)
	if nonce == "" {
		return line
	}
	if strings.Contains(line, "buildID=") {
		return line + "-" + nonce
	}
	return line + " bench=" + nonce
}

// readUnitConfig returns the unit's ID, VetxOnly and fact file from its
// vet.cfg.
func readUnitConfig(file string) (id string, vetxOnly bool, vetx string) {
	data, err := os.ReadFile(file)
	if err != nil {
		return file, false, ""
	}
	var c struct {
		ID         string
		ImportPath string
		VetxOnly   bool
		VetxOutput string
	}
	if json.Unmarshal(data, &c) != nil {
		return file, false, ""
	}
	if c.ID == "" {
		c.ID = c.ImportPath
	}
	return c.ID, c.VetxOnly, c.VetxOutput
}

// appendLog appends u as one JSON line. Units run in parallel; each
// line is one small O_APPEND write.
func appendLog(file string, u unit) error {
	if file == "" {
		return nil
	}
	b, err := json.Marshal(u)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// readLog reads the units a measured run logged.
func readLog(file string) ([]unit, error) {
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var us []unit
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		var u unit
		if err := json.Unmarshal(l, &u); err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		us = append(us, u)
	}
	return us, nil
}
