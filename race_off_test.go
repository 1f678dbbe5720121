//go:build !race

package connapi

const raceEnabled = false
