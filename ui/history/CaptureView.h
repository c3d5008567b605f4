#pragma once

namespace workbench {

class ResultsPane;
struct CaptureReport;

// A browser capture in the results pane: each OAuth exchange found as a step (masked like any
// run's, with its diagnosis), what the capture cannot show as warnings, and what the whole flow
// shows as the outcome.
namespace CaptureView {
void showIn(ResultsPane *pane, const CaptureReport &report);
} // namespace CaptureView

} // namespace workbench
