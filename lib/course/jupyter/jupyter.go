// Package jupyter starts the course's Jupyter server the way a student does, with
// `make jupyter`, on a free port of 127.0.0.1 with a token it knows, for the checks that
// play a student's browser (lib/course/cmd/servecheck, lib/course/cmd/browsercheck).
//
// The server runs in its own process group with make, so Stop ends make, Jupyter and the
// kernels it started together.
package jupyter

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Server is a running `make jupyter`.
type Server struct {
	// Base is the server's address, "http://127.0.0.1:PORT"; Token its login token.
	Base, Token string

	cmd      *exec.Cmd
	log      *syncBuffer
	exited   chan error // make's exit, once
	stopOnce sync.Once
}

// Options say how to start the server.
type Options struct {
	// Dir is where make runs (the repository's root); "" is the working directory.
	Dir string
	// Env is added to make's environment (and so to Jupyter's and its kernels'), as
	// "NAME=value".
	Env []string
	// NotebookDir is the folder to serve, "" for the repository's notebooks/ (the
	// Makefile's NOTEBOOK_DIR).
	NotebookDir string
	// Timeout bounds the wait for the server to answer (90 s when 0).
	Timeout time.Duration
}

// withDefaults returns o with its zero fields set to their documented defaults.
func (o Options) withDefaults() Options {
	if o.Timeout == 0 {
		o.Timeout = 90 * time.Second
	}
	return o
}

// Start runs `make jupyter` on a free port with a random token and returns once the
// server answers its status API. The caller must call Stop.
func Start(o Options) (*Server, error) {
	o = o.withDefaults()
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	tokenBytes := make([]byte, 16)
	_, _ = rand.Read(tokenBytes)
	s := &Server{
		Base:  fmt.Sprintf("http://127.0.0.1:%d", port),
		Token: hex.EncodeToString(tokenBytes),
		log:   &syncBuffer{},
	}
	args := []string{"--no-print-directory", "jupyter",
		fmt.Sprintf("JUPYTER_ARGS=--port=%d --port-retries=0 --NotebookApp.token=%s", port, s.Token)}
	if o.NotebookDir != "" {
		args = append(args, "NOTEBOOK_DIR="+o.NotebookDir)
	}
	s.cmd = exec.Command("make", args...)
	s.cmd.Dir = o.Dir
	s.cmd.Env = append(os.Environ(), o.Env...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // to stop make, jupyter and kernels together
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("make jupyter: %w", err)
	}
	s.exited = make(chan error, 1)
	go func() { s.exited <- s.cmd.Wait() }()
	deadline := time.Now().Add(o.Timeout)
	for {
		resp, err := http.Get(s.Base + "/api/status?token=" + s.Token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-s.exited:
			s.exited <- err // for Stop
			return nil, s.Fail("make jupyter ended (%v) before a server answered on %s", err, s.Base)
		default:
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, s.Fail("no Jupyter server answered on %s within %v", s.Base, o.Timeout)
		}
		time.Sleep(500 * time.Millisecond)
	}
	return s, nil
}

// Log returns what make and Jupyter printed so far.
func (s *Server) Log() string { return s.log.String() }

// Fail returns an error with what make and Jupyter printed appended.
func (s *Server) Fail(format string, args ...any) error {
	return fmt.Errorf(format+"\n--- make jupyter printed:\n%s", append(args, s.Log())...)
}

// URL returns the address of path on the server with the token, e.g. URL("/api/contents").
func (s *Server) URL(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return s.Base + path + sep + "token=" + s.Token
}

// GetJSON decodes the JSON answer to a GET of path.
func (s *Server) GetJSON(path string, v any) error {
	resp, err := http.Get(s.URL(path))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d", path, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Stop ends make, Jupyter and its kernels: SIGTERM to the process group, SIGKILL after
// 10 s. It may be called more than once.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		pid := s.cmd.Process.Pid
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			<-s.exited
		}
	})
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// syncBuffer is a bytes.Buffer that make's stdout and stderr write to while others read.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
