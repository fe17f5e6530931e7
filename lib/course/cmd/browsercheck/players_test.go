package main

import (
	"strings"
	"testing"
)

func TestCheckPlayers(t *testing.T) {
	seen := map[string]*cardSeen{
		"dawnchorus_active_a": {number: 1, cell: 12, title: "clip 4 (x.wav 0.0–3.0 s)", audio: 1},
		"dawnchorus_active_b": {number: 2, cell: 12, title: "clip 9 (y.wav 3.0–6.0 s)", audio: 1},
	}
	good := func(cell int, card string) player {
		return player{Cell: cell, Card: card, Duration: 3.0, ReadyState: 4, Played: 0.6}
	}
	for _, tc := range []struct {
		name      string
		players   []player
		want      []string // one substring per problem, in order
		audio     int      // players recorded outside the cards
		cardAudio int
	}{
		{"every card keeps its player", []player{good(3, ""), good(12, "dawnchorus_active_a"), good(12, "dawnchorus_active_b")},
			nil, 1, 2},
		{"an answered card dropped its player", []player{good(3, ""), good(12, "dawnchorus_active_a")},
			[]string{"06-x, cell 12, labelling card 2 of 2 (clip 9 (y.wav 3.0–6.0 s)): 1 audio players before it was answered, 0 on the page"},
			1, 1},
		{"a card's player does not load", []player{good(12, "dawnchorus_active_a"),
			{Cell: 12, Card: "dawnchorus_active_b", Duration: nil, ReadyState: 0}},
			[]string{"06-x, cell 12, labelling card 2 of 2 (clip 9 (y.wav 3.0–6.0 s)): the audio player's duration is <nil>"}, 0, 1},
		{"a player outside the cards fails to load", []player{{Cell: 5, Error: 4}, good(12, "dawnchorus_active_a"), good(12, "dawnchorus_active_b")},
			[]string{"06-x, cell 5: the audio player failed to load (MediaError 4)"}, 0, 2},
		{"a card's player does not play", []player{good(12, "dawnchorus_active_a"),
			{Cell: 12, Card: "dawnchorus_active_b", Duration: 3.0, ReadyState: 4, PlayError: "NotAllowedError"}},
			[]string{"card 2 of 2 (clip 9 (y.wav 3.0–6.0 s)): the audio player does not play: NotAllowedError"}, 0, 1},
		{"a card never seen open", []player{good(12, "dawnchorus_active_a"), good(12, "dawnchorus_active_b"),
			{Cell: 13, Card: "dawnchorus_active_z", Duration: 3.0, ReadyState: 4}},
			[]string{"06-x, cell 13, labelling card 0 of 2 (dawnchorus_active_z): the audio player did not advance"}, 0, 2},
	} {
		r := &result{name: "06-x"}
		got := r.checkPlayers(tc.players, seen)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d problems %q, want %d", tc.name, len(got), got, len(tc.want))
			continue
		}
		for k, w := range tc.want {
			if !strings.Contains(got[k], w) {
				t.Errorf("%s: problem %d is %q, want it to contain %q", tc.name, k+1, got[k], w)
			}
		}
		if len(r.audio) != tc.audio || len(r.cardAudio) != tc.cardAudio {
			t.Errorf("%s: recorded %d players and %d cards' players, want %d and %d", tc.name,
				len(r.audio), len(r.cardAudio), tc.audio, tc.cardAudio)
		}
	}
}
