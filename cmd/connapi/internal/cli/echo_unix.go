//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package cli

import "golang.org/x/sys/unix"

// echoOff turns the terminal's echo off, and returns what turns it back on. The
// prompt for a secret is written after it, so that nothing typed once the prompt
// shows is echoed: term.ReadPassword alone turns echo off only once it is called,
// after the prompt, and a quick typist (or a loaded machine) saw the first keys
// on the screen.
func echoOff(fd int) (restore func(), err error) {
	old, err := unix.IoctlGetTermios(fd, getTermios)
	if err != nil {
		return nil, err
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	if err := unix.IoctlSetTermios(fd, setTermios, &quiet); err != nil {
		return nil, err
	}
	return func() { _ = unix.IoctlSetTermios(fd, setTermios, old) }, nil
}
