package main

import (
	"slices"
	"testing"
)

func TestPageExceptions(t *testing.T) {
	// The first text is what CI's Chromium reported for GoNB's rejection on 2026-12-06.
	lost := "Uncaught (in promise) Error: comm_open_ack not received in time (:350)"
	other := "Uncaught TypeError: Cannot read properties of null (reading 'send') (:12)"
	mention := "Uncaught Error: cell said comm_open_ack not received in time twice? (:3)" // not GoNB's error text
	for _, tc := range []struct {
		name      string
		in        []string
		wantFatal []string
		wantLost  int
	}{
		{"none", nil, nil, 0},
		{"only GoNB's lost ack", []string{lost, lost}, nil, 2},
		{"another error stays fatal", []string{lost, other}, []string{other}, 1},
		{"text that only mentions it", []string{mention}, []string{mention}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fatal, n := pageExceptions(tc.in)
			if !slices.Equal(fatal, tc.wantFatal) || n != tc.wantLost {
				t.Errorf("pageExceptions(%q) = %q, %d; want %q, %d", tc.in, fatal, n, tc.wantFatal, tc.wantLost)
			}
		})
	}
}
