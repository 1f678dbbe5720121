//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package cli

// echoOff does nothing here: term.ReadPassword turns echo off by itself.
func echoOff(int) (restore func(), err error) { return func() {}, nil }
