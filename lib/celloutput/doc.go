// Package celloutput keeps a GoNB cell's text and its displays (figures, audio players,
// progress bars, labelling cards) in the order the cell's program wrote them, and makes
// sure every display reaches the notebook before the program exits.
//
// GoNB carries a cell program's output on two roads: its standard output and error through
// ordinary pipes, copied to the notebook by one goroutine each, and its displays through a
// named pipe read by another. Nothing orders the roads against each other, so on a busy
// machine a figure could land in the middle of text printed before it, or text printed
// after it could arrive first; and GoNB closes the display pipe when the program exits, so
// a large figure still in that pipe was lost.
//
// [Before] is called just before a display: it waits until GoNB has read everything the
// program wrote to its standard output and error (the pipes' unread byte counts, FIONREAD,
// are zero), so that text reaches the notebook ahead of the display. [After] is called just
// after: it waits for GoNB's acknowledgement (gonbui.Sync), which GoNB sends once it has
// passed every earlier display on, so the display is in the notebook before anything the
// program writes next, and before it exits. Outside a notebook both return at once.
//
// What remains: GoNB publishes text it has read a moment after reading it; Before then
// waits for one Sync round trip through GoNB before returning, which leaves it that
// moment. It cannot be closed from the program's side without GoNB carrying text and
// displays on one road.
package celloutput
