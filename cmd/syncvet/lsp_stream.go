package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
)

// maxFrame is the largest message body the language server reads; a
// longer one is skipped and answered with a parse error.
const maxFrame = 64 << 20

// lspStream is a jsonrpc2.Stream over the base protocol of the Language
// Server Protocol: each message is a JSON body after a Content-Length
// header. Unlike jsonrpc2.NewStream it survives bad input: a frame whose
// body is not JSON, or not a JSON-RPC message, is answered with a parse
// or invalid-request error and the stream goes on with the next frame.
// Only the end of the input, or a failed read or write, ends it.
type lspStream struct {
	in     *bufio.Reader
	out    io.Writer
	closer io.Closer
	logf   func(format string, args ...any)

	mu sync.Mutex // serialises frames written to out
}

func newLSPStream(in io.Reader, out io.Writer, closer io.Closer, logf func(string, ...any)) *lspStream {
	return &lspStream{in: bufio.NewReader(in), out: out, closer: closer, logf: logf}
}

// errFrame is a frame that could not be read; the stream stays in step.
type errFrame struct{ msg string }

func (e *errFrame) Error() string { return e.msg }

// Read returns the next well-formed message, answering malformed ones.
func (s *lspStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		body, n, err := s.readFrame()
		var fe *errFrame
		if errors.As(err, &fe) {
			s.logf("bad frame: %s", fe.msg)
			s.writeError(nil, jsonrpc2.ParseError, fe.msg)
			continue
		}
		if err != nil {
			return nil, n, err
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err == nil {
			return msg, n, nil
		}
		if !json.Valid(body) {
			s.logf("malformed JSON in a message: %v", err)
			s.writeError(nil, jsonrpc2.ParseError, "malformed JSON: "+err.Error())
			continue
		}
		// Valid JSON but not a message: answer with its id if it has one.
		var probe struct {
			ID json.RawMessage `json:"id"`
		}
		_ = json.Unmarshal(body, &probe)
		s.logf("invalid JSON-RPC message: %v", err)
		s.writeError(probe.ID, jsonrpc2.InvalidRequest, "invalid JSON-RPC message: "+err.Error())
	}
}

// readFrame reads one header and body. A header without a usable
// Content-Length, or with stray text, gives an *errFrame after the
// header's blank line; text before a "Content-Length:" on a header line
// is skipped so that the stream finds the next frame after garbage.
func (s *lspStream) readFrame() ([]byte, int64, error) {
	var total int64
	length := int64(-1)
	var bad []string
	for {
		line, err := s.in.ReadString('\n')
		total += int64(len(line))
		if err != nil {
			if err == io.EOF && total > 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, total, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if length < 0 && len(bad) == 0 && total <= 2 {
				continue // a stray blank line between frames
			}
			break
		}
		if i := strings.Index(strings.ToLower(line), "content-length:"); i > 0 {
			bad = append(bad, "text before the header: "+quoteShort(line[:i]))
			line = line[i:]
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			bad = append(bad, "header line without a colon: "+quoteShort(line))
			continue
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || n < 0 {
				bad = append(bad, "bad Content-Length: "+quoteShort(value))
				continue
			}
			length = n
		}
	}
	if length < 0 {
		return nil, total, &errFrame{fmt.Sprintf("message header without a Content-Length (%s)", strings.Join(bad, "; "))}
	}
	if length > maxFrame {
		n, err := io.CopyN(io.Discard, s.in, length)
		total += n
		if err != nil {
			return nil, total, err
		}
		return nil, total, &errFrame{fmt.Sprintf("message of %d bytes is longer than the limit of %d", length, maxFrame)}
	}
	body := make([]byte, length)
	n, err := io.ReadFull(s.in, body)
	total += int64(n)
	if err != nil {
		return nil, total, err
	}
	if len(bad) > 0 {
		s.logf("message header: %s", strings.Join(bad, "; "))
	}
	return body, total, nil
}

func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}

// Write writes msg as one frame.
func (s *lspStream) Write(_ context.Context, msg jsonrpc2.Message) (int64, error) {
	data, err := json.Marshal(msg)
	if err != nil {
		return 0, fmt.Errorf("encoding message: %w", err)
	}
	return s.writeFrame(data)
}

func (s *lspStream) writeFrame(data []byte) (int64, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(data))
	b.Write(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.out.Write(b.Bytes())
	return int64(n), err
}

// writeError answers a message the connection never saw; id is its raw
// JSON id, or nil for null.
func (s *lspStream) writeError(id json.RawMessage, code jsonrpc2.Code, msg string) {
	if len(id) == 0 || !validID(id) {
		id = json.RawMessage("null")
	}
	data, err := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   *jsonrpc2.Error `json:"error"`
	}{"2.0", id, jsonrpc2.NewError(code, msg)})
	if err == nil {
		_, err = s.writeFrame(data)
	}
	if err != nil {
		s.logf("answering a malformed message: %v", err)
	}
}

// validID reports whether a raw id is a JSON string or number.
func validID(id json.RawMessage) bool {
	var v any
	if json.Unmarshal(id, &v) != nil {
		return false
	}
	switch v.(type) {
	case string, float64:
		return true
	}
	return false
}

// Close closes the output, and with it the connection.
func (s *lspStream) Close() error {
	if s.closer == nil {
		return nil
	}
	return s.closer.Close()
}
