// Package gitrev writes out the files of a git revision, for the
// commands that measure syncvet as it was at an earlier commit
// (syncvet-bench -rev, syncvet-quality -rev).
package gitrev

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Export writes the files of revision rev of the git repository that
// holds root into dir.
func Export(root, rev, dir string) error {
	cmd := exec.Command("git", "archive", "--format=tar", rev)
	cmd.Dir = root
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	data, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("git archive %s: %v: %s", rev, err, strings.TrimSpace(errBuf.String()))
	}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		p := filepath.Join(dir, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(p, filepath.Clean(dir)+string(filepath.Separator)) {
			continue // a name that climbs out of dir
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(p, 0o755)
		case tar.TypeReg:
			if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
				var b []byte
				if b, err = io.ReadAll(tr); err == nil {
					err = os.WriteFile(p, b, 0o644)
				}
			}
		}
		if err != nil {
			return err
		}
	}
}
