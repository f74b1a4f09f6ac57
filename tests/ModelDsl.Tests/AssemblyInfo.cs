using ApprovalTests.Reporters;

// Snapshot mismatches fail the test and leave a .received file beside the .approved one; no diff tool is launched.
[assembly: UseReporter(typeof(QuietReporter))]

// Many tests seed TorchSharp's process-wide generator (manual_seed) and expect the next draws to be theirs;
// tests in parallel would interleave draws. On two cores the tensor code is multi-threaded anyway.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
