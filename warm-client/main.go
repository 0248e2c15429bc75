// Command slipway-warm is the thin client of Slipway's warm renderer (`slipway serve`, src/serve/).
// It sends its command line, working directory and Slipway-relevant environment over the Unix
// socket $SLIPWAY_SOCKET, waits for the whole answer, then prints it and exits with its code: the
// same bytes and exit status as `slipway <args>` run cold. When no server answers (no socket, a dead
// server, a connection lost before the whole answer arrived) or the server declines the request, it
// runs the cold path instead: exec of $SLIPWAY_COLD (default "slipway" on PATH) with the same args.
//
// It is a static Go binary so the Argo CD plugin's generate command costs one small process instead
// of a second Node.js start. Wire format: src/serve/protocol.ts.
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

var magic = []byte("SLW1")

// forwarded matches the environment variables that change Slipway's output (FORWARDED_ENV in protocol.ts).
var forwarded = regexp.MustCompile(`^(SLIPWAY_|CDK8S_)|^(NO_COLOR|FORCE_COLOR|TERM)$`)

type request struct {
	Cwd  string            `json:"cwd"`
	Args []string          `json:"args"`
	Env  map[string]string `json:"env"`
	Tty  map[string]bool   `json:"tty"`
}

// isTerminal reports whether fd is a terminal (the TCGETS ioctl succeeds), as Node's isTTY does.
func isTerminal(fd uintptr) bool {
	var t syscall.Termios
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return e == 0
}

// warm asks the server; ok is false when the cold path must run instead.
func warm(socket string, args []string) (code int, ok bool) {
	cwd, err := os.Getwd()
	if err != nil || socket == "" {
		return 0, false
	}
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, found := strings.Cut(kv, "="); found && forwarded.MatchString(k) {
			env[k] = v
		}
	}
	body, err := json.Marshal(request{Cwd: cwd, Args: args, Env: env, Tty: map[string]bool{"stdout": isTerminal(1), "stderr": isTerminal(2)}})
	if err != nil {
		return 0, false
	}
	conn, err := net.DialTimeout("unix", socket, 2*time.Second)
	if err != nil {
		return 0, false
	}
	defer conn.Close()
	frame := make([]byte, 8, 8+len(body))
	copy(frame, magic)
	binary.BigEndian.PutUint32(frame[4:], uint32(len(body)))
	if _, err := conn.Write(append(frame, body...)); err != nil {
		return 0, false
	}
	answer, err := io.ReadAll(conn)
	if err != nil || len(answer) < 14 || string(answer[:4]) != string(magic) {
		return 0, false
	}
	outLen, errLen := binary.BigEndian.Uint32(answer[6:]), binary.BigEndian.Uint32(answer[10:])
	if uint64(len(answer)) != 14+uint64(outLen)+uint64(errLen) || answer[4] != 0 {
		return 0, false
	}
	if err := writeAll(os.Stdout, answer[14:14+outLen]); err != nil {
		fmt.Fprintf(os.Stderr, "slipway-warm: %v\n", err)
		return 3, true
	}
	_ = writeAll(os.Stderr, answer[14+outLen:])
	return int(answer[5]), true
}

func writeAll(f *os.File, b []byte) error {
	for len(b) > 0 {
		n, err := f.Write(b)
		if err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

// cold replaces this process with the cold CLI (same args, same environment).
func cold(args []string) {
	name := os.Getenv("SLIPWAY_COLD")
	if name == "" {
		name = "slipway"
	}
	path, err := exec.LookPath(name)
	if err == nil {
		err = syscall.Exec(path, append([]string{name}, args...), os.Environ())
	}
	fmt.Fprintf(os.Stderr, "slipway-warm: not served warm, and cannot run the cold path %s: %v\n", name, err)
	os.Exit(3)
}

func main() {
	args := os.Args[1:]
	if code, ok := warm(os.Getenv("SLIPWAY_SOCKET"), args); ok {
		os.Exit(code)
	}
	cold(args)
}
