using ApprovalTests.Reporters;

// Snapshot mismatches fail the test and leave a .received file beside the .approved one; no diff tool is launched.
[assembly: UseReporter(typeof(QuietReporter))]
