package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/detections"
)

// eventFlags are the flags, shared by analyze and evaluate, that say how a
// class's windows at or above the threshold become events
// (detections.Options).
type eventFlags struct {
	merge                       *bool
	gapSeconds, maxEventSeconds *float64
	splitDrop                   *float64
	thresholdFlag               string
}

// The default event rule where the windows' hop cannot be known (evaluate on
// scores whose windows are irregular): runs of windows cut into events of at
// most one 3 s window of the default model (BirdNET-Analyzer's default too),
// no split at dips. Where it is known (analyze, from the detector; evaluate,
// from the scores' window starts), defaultMaxEvent gives the cap.
const (
	defaultMaxEventSeconds = 3
	defaultSplitDrop       = 0
)

// defaultMaxEvent is -max-event's default for windows of windowSeconds that
// overlap by overlapSeconds: one window when windows do not overlap (so a
// window of the default detector is one event, as with -merge=false), else a
// window plus one hop (two consecutive windows), so that the windows of one
// call make one event rather than one each.
func defaultMaxEvent(windowSeconds, overlapSeconds float64) float64 {
	if overlapSeconds <= 0 {
		return windowSeconds
	}
	return windowSeconds + (windowSeconds - overlapSeconds)
}

// addEventFlags defines -merge, -merge-gap, -max-event and -split-drop on fs;
// thresholdFlag is the flag that sets the threshold (named in its errors),
// maxEventValue is -max-event's value when not given (analyze: 0, set from
// the detector by maxEventGiven and defaultMaxEvent), maxEventDefault says
// in words what that does.
func addEventFlags(fs *flag.FlagSet, thresholdFlag string, maxEventValue float64, maxEventDefault string) eventFlags {
	return eventFlags{
		merge: fs.Bool("merge", true, "join a class's overlapping or adjacent windows into runs, each cut into events by -max-event and -split-drop "+
			"(with -max-event's default and windows that do not overlap, every window stays its own event, as with false; false: one detection per window)"),
		gapSeconds: fs.Float64("merge-gap", 0, "with -merge: the longest gap, in seconds, merged over"),
		maxEventSeconds: fs.Float64("max-event", maxEventValue, "with -merge: the longest event, in seconds; a longer run of windows is cut into events of whole windows, "+
			"each at least one window (0: no cap, one event per run); when not given, "+maxEventDefault),
		splitDrop:     fs.Float64("split-drop", defaultSplitDrop, "with -merge: end an event where the score dips at least this much below its peak and rises as much again: 0 (no split) or in [0.001, 1]"),
		thresholdFlag: thresholdFlag,
	}
}

// options returns the events' detections.Options at threshold, or a usage
// error naming the flag out of range and its value.
func (f eventFlags) options(e *env, fs *flag.FlagSet, threshold float64) (detections.Options, int, bool) {
	o := detections.Options{MinConfidence: threshold, Merge: *f.merge, MergeGapSeconds: *f.gapSeconds,
		MaxEventSeconds: *f.maxEventSeconds, SplitDrop: *f.splitDrop}
	if !o.Merge {
		if code, ok := refuseGiven(e, fs, "only with -merge (-merge=false makes one detection per window)", "merge-gap", "max-event", "split-drop"); !ok {
			return o, code, false
		}
	}
	var bad *detections.OptionError
	if err := o.Check(); errors.As(err, &bad) {
		name := map[string]string{"MinConfidence": f.thresholdFlag, "MergeGapSeconds": "-merge-gap",
			"MaxEventSeconds": "-max-event", "SplitDrop": "-split-drop"}[bad.Option]
		return o, usageErr(e, fs, "%s %g: want %s", name, bad.Value, bad.Want), false
	} else if err != nil {
		return o, usageErr(e, fs, "%v", err), false
	}
	return o, 0, true
}

// maxEventGiven says whether -max-event was set on the command line.
func maxEventGiven(fs *flag.FlagSet) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "max-event" })
	return given
}

// describeEvents says in words how windows became events.
func describeEvents(o detections.Options) string {
	s := fmt.Sprintf("windows at score ≥ %g", o.MinConfidence)
	if !o.Merge {
		return s + ", one detection each"
	}
	s += fmt.Sprintf(" merged (gap ≤ %g s)", o.MergeGapSeconds)
	if o.SplitDrop > 0 {
		s += fmt.Sprintf(", split at dips of %g", o.SplitDrop)
	}
	if o.MaxEventSeconds > 0 {
		// An event is at least one window, however long.
		s += fmt.Sprintf(", cut into events of at most %g s, each at least one window", o.MaxEventSeconds)
	}
	return s
}
